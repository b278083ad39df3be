import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Occupation, ReportStatus, StationStatus } from '@union/shared';
import { InvalidationBus } from '../../common/invalidation-bus';
import { withClaimsStamp } from '../auth/users.repository';
import { User } from '../auth/user.entity';
import { Member } from '../membership/entities/member.entity';
import { UnionOrg } from '../orgs/org.entity';
import { StationCheckIn, StationCheckInGuard } from './entities/checkin.entity';
import { StationRating, StationReport } from './entities/rating.entity';
import { Station, StationPhoto, StationsVersion } from './entities/station.entity';
import { likeContains, likePrefix, sqlLike } from '../../database/dialect';
import { isDuplicateKey } from '../../common/db-errors';
import { batchedMap } from '../../common/batched-reads';

/** A station's columns the nearby index keeps (see {@link StationsRepository.stationCores}); JSON columns as text. */
export interface StationCore {
  id: number;
  lat: number;
  lng: number;
  amenityMask: number;
  hours: string;
  closedDates: string;
  status: StationStatus;
  closedUntil: string | null;
}

/** See {@link StationsRepository.stationsVersion}. */
export interface StationsVersionStamp {
  maxId: number;
  maxAt: string;
  seq: number;
}


/** Every query of the stations module. `scopePath` null means the whole tree (admin). */
@Injectable()
export class StationsRepository {
  constructor(@InjectDataSource() readonly db: DataSource, private readonly bus: InvalidationBus) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // --- stations
  /** Told the id of every station this process inserts or edits (the in-memory geo index listens). */
  readonly stationWrites = new Set<(id: number) => void>();

  /** Inserts a station and raises the stations' version counter, in one transaction. */
  async insertStation(s: Partial<Station>, em?: EntityManager): Promise<Station> {
    const saved = await this.inTransaction(em, async (m) => {
      const repo = m.getRepository(Station);
      const row = await repo.save(repo.create(s));
      await this.bumpVersion(m);
      return row;
    });
    this.stationWrites.forEach((f) => f(saved.id));
    return saved;
  }
  /** Edits a station (sets `updatedAt`) and raises the stations' version counter, in one transaction. */
  async updateStation(id: number, patch: Partial<Station>, em?: EntityManager): Promise<void> {
    await this.inTransaction(em, async (m) => {
      await m.getRepository(Station).update({ id }, { ...patch, updatedAt: new Date() });
      await this.bumpVersion(m);
    });
    this.stationWrites.forEach((f) => f(id));
  }
  private inTransaction<T>(em: EntityManager | undefined, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return em ? work(em) : this.db.transaction(work);
  }
  private async bumpVersion(em: EntityManager): Promise<void> {
    const res = await em.createQueryBuilder().update(StationsVersion).set({ seq: () => 'seq + 1' }).where('id = 1').execute();
    if (!res.affected) await em.createQueryBuilder().insert().into(StationsVersion).values({ id: 1, seq: 1 }).orIgnore().execute();
  }
  findStation(id: number): Promise<Station | null> {
    return this.db.getRepository(Station).findOneBy({ id });
  }
  findStationByCodeBody(codeBody: string): Promise<Station | null> {
    return this.db.getRepository(Station).findOneBy({ codeBody });
  }
  /**
   * The reads of a page of public station views ({@link findStationsByIds}, {@link photosOf}, {@link ratingTotals}),
   * each shared by the concurrent requests of one event-loop round: the nearby search's hot path, where 100 users at
   * once would otherwise send 100 of each. Outside transactions only (batchedMap).
   */
  readonly shared = {
    stations: batchedMap<number, Station>((ids) => this.findStationsByIds(ids)),
    photos: batchedMap<number, StationPhoto[]>((ids) => this.photosOf(ids)),
    ratings: batchedMap<number, { average: number; count: number }>((ids) => this.ratingTotals(ids)),
  };

  async findStationsByIds(ids: number[]): Promise<Map<number, Station>> {
    if (!ids.length) return new Map();
    const rows = await this.db.getRepository(Station).findBy({ id: In([...new Set(ids)]) });
    return new Map(rows.map((s) => [s.id, s]));
  }
  findStationsByKeeper(userId: number): Promise<Station[]> {
    return this.db.getRepository(Station).find({ where: { keeperUserId: userId }, order: { id: 'ASC' } });
  }
  /** Stations under `scopePath`, optionally of one org or matching a keyword, newest first. */
  listStations(f: { scopePath: string | null; orgId?: number; q?: string; skip: number; take: number }): Promise<[Station[], number]> {
    const qb = this.db.getRepository(Station).createQueryBuilder('s').innerJoin(UnionOrg, 'o', 'o.id = s.orgId');
    if (f.scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(f.scopePath) });
    if (f.orgId) qb.andWhere('s.orgId = :orgId', { orgId: f.orgId });
    if (f.q) qb.andWhere(`(${sqlLike('s.name', ':q')} OR ${sqlLike('s.address', ':q')})`, { q: likeContains(f.q) });
    return qb.orderBy('s.id', 'DESC').skip(f.skip).take(f.take).getManyAndCount();
  }

  /**
   * What changes whenever a station is added or edited: the application's counter (stations_version), the highest
   * id and the latest `updatedAt` (raw, as the driver returns it; these two also move on writes in plain SQL), read
   * by primary key and off the ends of indexes in one statement. Stations are never deleted by the application; an
   * out-of-band delete or truncate is caught by {@link countAllStations}.
   */
  async stationsVersion(): Promise<StationsVersionStamp> {
    const [r] = await this.db.query(
      'SELECT (SELECT MAX(id) FROM stations) AS maxId, (SELECT MAX(updatedAt) FROM stations) AS maxAt, (SELECT seq FROM stations_version WHERE id = 1) AS seq',
    );
    return { maxId: Number(r?.maxId ?? 0), maxAt: r?.maxAt == null ? '' : r.maxAt instanceof Date ? r.maxAt.toISOString() : String(r.maxAt), seq: Number(r?.seq ?? 0) };
  }
  countAllStations(): Promise<number> {
    return this.db.getRepository(Station).count();
  }
  /**
   * What the nearby index holds of stations (raw columns; `hours` and `closedDates` as their JSON text): those with
   * `id > afterId` in id order and at most `limit` (a full load pages through the primary key), those edited at or
   * after `since` (range on the `updatedAt` index), or those of `ids`.
   */
  async stationCores(f: { afterId: number; limit: number } | { since: Date } | { ids: number[] }): Promise<StationCore[]> {
    const qb = this.db.getRepository(Station).createQueryBuilder('s').select('s.id', 'id').addSelect('s.lat', 'lat').addSelect('s.lng', 'lng')
      .addSelect('s.amenityMask', 'amenityMask').addSelect('s.hours', 'hours').addSelect('s.closedDates', 'closedDates')
      .addSelect('s.status', 'status').addSelect('s.closedUntil', 'closedUntil');
    if ('afterId' in f) qb.where('s.id > :afterId', { afterId: f.afterId }).orderBy('s.id', 'ASC').limit(f.limit);
    else if ('since' in f) qb.where('s.updatedAt >= :since', { since: f.since });
    else if (f.ids.length) qb.where('s.id IN (:...ids)', { ids: [...new Set(f.ids)] });
    else return [];
    const rows = await qb.getRawMany();
    return rows.map((r) => ({
      id: Number(r.id), lat: Number(r.lat), lng: Number(r.lng), amenityMask: Number(r.amenityMask), hours: String(r.hours),
      closedDates: String(r.closedDates), status: r.status, closedUntil: r.closedUntil ?? null,
    }));
  }

  // --- photos
  /** Puts a photo in the first free slot; null when every slot is taken (the unique key decides races). */
  async insertPhoto(p: Omit<StationPhoto, 'id' | 'slot'>, slots: number): Promise<StationPhoto | null> {
    const repo = this.db.getRepository(StationPhoto);
    const taken = new Set((await repo.findBy({ stationId: p.stationId })).map((x) => x.slot));
    for (let slot = 0; slot < slots; slot++) {
      if (taken.has(slot)) continue;
      try {
        return await repo.save(repo.create({ ...p, slot }));
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    }
    return null;
  }
  async photosOf(stationIds: number[]): Promise<Map<number, StationPhoto[]>> {
    const map = new Map<number, StationPhoto[]>();
    if (!stationIds.length) return map;
    const rows = await this.db.getRepository(StationPhoto).find({ where: { stationId: In([...new Set(stationIds)]) }, order: { slot: 'ASC' } });
    for (const r of rows) map.set(r.stationId, [...(map.get(r.stationId) ?? []), r]);
    return map;
  }
  findPhoto(fileName: string): Promise<StationPhoto | null> {
    return this.db.getRepository(StationPhoto).findOneBy({ fileName });
  }
  async deletePhoto(id: number): Promise<boolean> {
    return ((await this.db.getRepository(StationPhoto).delete({ id })).affected ?? 0) > 0;
  }

  // --- check-ins
  /** Creates the (member, station) guard row if missing; a concurrent twin is ignored by the unique key. */
  async ensureGuard(memberId: number, stationId: number): Promise<void> {
    await this.db.createQueryBuilder().insert().into(StationCheckInGuard)
      .values({ memberId, stationId, lastCheckInId: null, lastAt: new Date(0) }).orIgnore().execute();
  }
  insertCheckIn(em: EntityManager, c: Omit<StationCheckIn, 'id'>): Promise<StationCheckIn> {
    const repo = em.getRepository(StationCheckIn);
    return repo.save(repo.create(c));
  }
  /**
   * Makes `checkInId` the last counted check-in if the previous one is older than `cutoff`.
   * One statement: under concurrency the row lock lets exactly one request through per window.
   */
  async claimGuard(em: EntityManager, memberId: number, stationId: number, checkInId: number, at: Date, cutoff: Date): Promise<boolean> {
    const res = await em.createQueryBuilder().update(StationCheckInGuard).set({ lastAt: at, lastCheckInId: checkInId })
      .where('memberId = :memberId AND stationId = :stationId AND lastAt <= :cutoff', { memberId, stationId, cutoff }).execute();
    return (res.affected ?? 0) === 1;
  }
  async deleteCheckIn(em: EntityManager, id: number): Promise<void> {
    await em.getRepository(StationCheckIn).delete({ id });
  }
  findGuard(memberId: number, stationId: number): Promise<StationCheckInGuard | null> {
    return this.db.getRepository(StationCheckInGuard).findOneBy({ memberId, stationId });
  }
  findCheckIn(id: number): Promise<StationCheckIn | null> {
    return this.db.getRepository(StationCheckIn).findOneBy({ id });
  }
  async hasCheckIn(memberId: number, stationId: number): Promise<boolean> {
    return (await this.db.getRepository(StationCheckIn).count({ where: { memberId, stationId }, take: 1 })) > 0;
  }
  async countCheckIns(stationId: number, day: string): Promise<number> {
    return this.db.getRepository(StationCheckIn).countBy({ stationId, day });
  }
  /** Visits of one station on one day, newest first, with the member's name for masking. */
  async listVisits(stationId: number, day: string, skip: number, take: number): Promise<[Array<StationCheckIn & { memberName: string | null }>, number]> {
    const qb = this.db.getRepository(StationCheckIn).createQueryBuilder('c').where('c.stationId = :stationId AND c.day = :day', { stationId, day });
    const total = await qb.getCount();
    const rows = await qb.clone().leftJoin(Member, 'm', 'm.id = c.memberId').select('c.id', 'id').addSelect('c.at', 'at')
      .addSelect('c.occupation', 'occupation').addSelect('c.amenityMask', 'amenityMask').addSelect('c.memberId', 'memberId').addSelect('m.name', 'memberName')
      .orderBy('c.id', 'DESC').offset(skip).limit(take).getRawMany();
    return [rows.map((r) => ({ ...r, id: Number(r.id), amenityMask: Number(r.amenityMask), at: toDate(r.at) })), total];
  }

  // --- ratings
  /** Inserts the rating; false when the member already rated this station on `day` (unique key). */
  async insertRating(r: Omit<StationRating, 'id'>): Promise<StationRating | null> {
    const repo = this.db.getRepository(StationRating);
    try {
      return await repo.save(repo.create(r));
    } catch (e) {
      if (isDuplicateKey(e)) return null;
      throw e;
    }
  }
  findRating(memberId: number, stationId: number, day: string): Promise<StationRating | null> {
    return this.db.getRepository(StationRating).findOneBy({ memberId, stationId, day });
  }
  /** Average stars and count per station. */
  async ratingTotals(stationIds: number[]): Promise<Map<number, { average: number; count: number }>> {
    const map = new Map<number, { average: number; count: number }>();
    if (!stationIds.length) return map;
    const rows = await this.db.getRepository(StationRating).createQueryBuilder('r').select('r.stationId', 'stationId')
      .addSelect('COUNT(*)', 'count').addSelect('SUM(r.stars)', 'sum').where('r.stationId IN (:...ids)', { ids: [...new Set(stationIds)] })
      .groupBy('r.stationId').getRawMany();
    for (const r of rows) map.set(Number(r.stationId), { count: Number(r.count), average: Number(r.sum) / Number(r.count) });
    return map;
  }
  async listRatings(stationId: number, skip: number, take: number): Promise<[Array<StationRating & { memberName: string | null }>, number]> {
    const qb = this.db.getRepository(StationRating).createQueryBuilder('r').where('r.stationId = :stationId', { stationId });
    const total = await qb.getCount();
    const rows = await qb.clone().leftJoin(Member, 'm', 'm.id = r.memberId').select('r.id', 'id').addSelect('r.stars', 'stars')
      .addSelect('r.comment', 'comment').addSelect('r.day', 'day').addSelect('r.at', 'at').addSelect('m.name', 'memberName')
      .orderBy('r.id', 'DESC').offset(skip).limit(take).getRawMany();
    return [rows.map((r) => ({ ...r, id: Number(r.id), stars: Number(r.stars), at: toDate(r.at) })), total];
  }

  // --- reports
  insertReport(r: Omit<StationReport, 'id'>): Promise<StationReport> {
    const repo = this.db.getRepository(StationReport);
    return repo.save(repo.create(r));
  }
  findReport(id: number): Promise<StationReport | null> {
    return this.db.getRepository(StationReport).findOneBy({ id });
  }
  /** open → handled; false when it was no longer open. */
  async handleReport(id: number, userId: number, em: EntityManager = this.db.manager): Promise<boolean> {
    const res = await em.getRepository(StationReport).update({ id, status: 'open' }, { status: 'handled', handledById: userId, handledAt: new Date() });
    return (res.affected ?? 0) === 1;
  }
  listReports(f: { stationIds?: number[]; scopePath?: string | null; stationId?: number; status?: ReportStatus; skip: number; take: number }): Promise<[StationReport[], number]> {
    const qb = this.db.getRepository(StationReport).createQueryBuilder('r');
    if (f.stationIds) qb.andWhere(f.stationIds.length ? 'r.stationId IN (:...ids)' : '1 = 0', { ids: f.stationIds });
    if (f.scopePath) qb.innerJoin(Station, 's', 's.id = r.stationId').innerJoin(UnionOrg, 'o', 'o.id = s.orgId').andWhere(sqlLike('o.path', ':p'), { p: likePrefix(f.scopePath) });
    if (f.stationId) qb.andWhere('r.stationId = :sid', { sid: f.stationId });
    if (f.status) qb.andWhere('r.status = :status', { status: f.status });
    return qb.orderBy('r.id', 'DESC').skip(f.skip).take(f.take).getManyAndCount();
  }
  async openReportCounts(stationIds: number[]): Promise<Map<number, number>> {
    if (!stationIds.length) return new Map();
    const rows = await this.db.getRepository(StationReport).createQueryBuilder('r').select('r.stationId', 'stationId').addSelect('COUNT(*)', 'count')
      .where("r.status = 'open' AND r.stationId IN (:...ids)", { ids: [...new Set(stationIds)] }).groupBy('r.stationId').getRawMany();
    return new Map(rows.map((r) => [Number(r.stationId), Number(r.count)]));
  }

  // --- keepers
  /** station_keeper accounts whose org lies under `scopePath`. */
  listKeepers(scopePath: string | null): Promise<User[]> {
    const qb = this.db.getRepository(User).createQueryBuilder('u').innerJoin(UnionOrg, 'o', 'o.id = u.orgId').where("u.role = 'station_keeper'");
    if (scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(scopePath) });
    return qb.orderBy('u.id', 'ASC').take(500).getMany();
  }
  async updateUser(em: EntityManager, id: number, patch: Partial<Pick<User, 'role' | 'orgId'>>): Promise<void> {
    await em.getRepository(User).update({ id }, withClaimsStamp(patch));
    this.bus.publish('user', id); // before commit: listeners then distrust older tokens and read the row (the poll repeats it after)
  }
  findUser(id: number): Promise<User | null> {
    return this.db.getRepository(User).findOneBy({ id });
  }
  async findUsers(ids: number[]): Promise<Map<number, User>> {
    if (!ids.length) return new Map();
    const rows = await this.db.getRepository(User).findBy({ id: In([...new Set(ids)]) });
    return new Map(rows.map((u) => [u.id, u]));
  }

  // --- statistics (Asia/Shanghai days, scope by the station's org)
  private scopedCheckIns(scopePath: string | null, from: string, to: string, orgId?: number) {
    const qb = this.db.getRepository(StationCheckIn).createQueryBuilder('c').innerJoin(Station, 's', 's.id = c.stationId')
      .innerJoin(UnionOrg, 'o', 'o.id = s.orgId').where('c.day >= :from AND c.day <= :to', { from, to });
    if (scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(scopePath) });
    if (orgId) qb.andWhere('s.orgId = :orgId', { orgId });
    return qb;
  }
  async visitsPerStationDay(scopePath: string | null, from: string, to: string, orgId?: number): Promise<Array<{ stationId: number; stationName: string; day: string; count: number }>> {
    const rows = await this.scopedCheckIns(scopePath, from, to, orgId).select('c.stationId', 'stationId').addSelect('s.name', 'stationName')
      .addSelect('c.day', 'day').addSelect('COUNT(*)', 'count').groupBy('c.stationId').addGroupBy('s.name').addGroupBy('c.day')
      .orderBy('c.day', 'ASC').addOrderBy('c.stationId', 'ASC').getRawMany();
    return rows.map((r) => ({ stationId: Number(r.stationId), stationName: r.stationName, day: String(r.day), count: Number(r.count) }));
  }
  async visitsByOccupation(scopePath: string | null, from: string, to: string, orgId?: number): Promise<Array<{ occupation: Occupation; count: number }>> {
    const rows = await this.scopedCheckIns(scopePath, from, to, orgId).select('c.occupation', 'occupation').addSelect('COUNT(*)', 'count')
      .groupBy('c.occupation').orderBy('count', 'DESC').getRawMany();
    return rows.map((r) => ({ occupation: r.occupation, count: Number(r.count) }));
  }
  async countStations(scopePath: string | null, orgId?: number): Promise<number> {
    const qb = this.db.getRepository(Station).createQueryBuilder('s').innerJoin(UnionOrg, 'o', 'o.id = s.orgId');
    if (scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(scopePath) });
    if (orgId) qb.andWhere('s.orgId = :orgId', { orgId });
    return qb.getCount();
  }
  async countOpenReports(scopePath: string | null, orgId?: number): Promise<number> {
    const qb = this.db.getRepository(StationReport).createQueryBuilder('r').innerJoin(Station, 's', 's.id = r.stationId')
      .innerJoin(UnionOrg, 'o', 'o.id = s.orgId').where("r.status = 'open'");
    if (scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(scopePath) });
    if (orgId) qb.andWhere('s.orgId = :orgId', { orgId });
    return qb.getCount();
  }
}

/** Raw datetime values: a Date from mysql2, a `YYYY-MM-DD HH:MM:SS.SSS` UTC string from SQLite. */
export function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}
