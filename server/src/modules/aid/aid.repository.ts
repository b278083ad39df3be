import { isDuplicateKey } from '../../common/db-errors';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import type { AidType, HardshipLevel, HouseholdStatus, PayoutStatus } from '@union/shared';
import { UnionOrg } from '../orgs/org.entity';
import { BindAttempt, BindGuard, Household, HouseholdBinding, HouseholdCode } from './entities/household.entity';
import { BankRecord, Payout, PayoutBatch } from './entities/payout.entity';
import { likeContains, likePrefix, sqlLike } from '../../database/dialect';
import { batchedRead } from '../../common/batched-reads';

/** Filters of the staff household list. `scopePath` null means the whole tree. */
export interface HouseholdFilter {
  scopePath: string | null;
  orgId?: number;
  status?: HouseholdStatus;
  level?: HardshipLevel;
  /** Active households last reviewed before this instant. */
  reviewedBefore?: Date;
  namePrefix?: string;
  idNumberHash?: string;
  mobileHash?: string;
}

/** The axes `AidRepository.householdFigures` counts along (values in the order the sums come back). */
export interface HouseholdFigureAxes {
  levels: readonly string[];
  employment: readonly string[];
  causes: readonly string[];
  needs: readonly string[];
  /** Lower bounds (fen, per capita) of income bands 1..n; band 0 is below the first. */
  bandBounds: number[];
  reviewedBefore: Date;
  /** `YYYY-MM` periods of the registration and exit series. */
  periods: string[];
}

/** One group (org, city, district, status) of `householdFigures`: its count and the sums along each axis. */
export interface HouseholdFigureGroup {
  orgId: number;
  city: string;
  district: string;
  status: HouseholdStatus;
  count: number;
  levels: number[];
  employment: number[];
  causes: number[];
  needs: number[];
  bands: number[];
  overdue: number;
  registrations: number[];
  exits: number[];
}

/** What the public household-code scan reads (see `AidRepository.scanView`). */
export interface ScanView {
  householdId: number;
  /** The code was reissued or revoked (or its household exited). */
  revoked: boolean;
  household: { status: HouseholdStatus; headName: string; orgName: string } | null;
  /** Payout statuses of the household since the asked period (empty for a revoked code). */
  statuses: Array<{ period: string; status: PayoutStatus }>;
}

/** A datetime as both drivers accept it in raw SQL: `YYYY-MM-DD HH:mm:ss.SSS` UTC (what TypeORM itself stores). */
export function sqlTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Every query of the aid module. Raw SQL here is plain SQL-92 that MySQL/MariaDB and SQLite both run. */
@Injectable()
export class AidRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }
  /** `work` inside the caller's transaction `em` when given (so a caller's multi-step write stays atomic), else in a new one. */
  within<T>(em: EntityManager | undefined, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return em ? work(em) : this.db.transaction(work);
  }

  // ------------------------------------------------------------ households
  insertHousehold(em: EntityManager, h: Partial<Household>): Promise<Household> {
    const repo = em.getRepository(Household);
    return repo.save(repo.create(h));
  }
  findHousehold(id: number, em: EntityManager = this.db.manager): Promise<Household | null> {
    return em.getRepository(Household).findOneBy({ id });
  }
  findHouseholds(ids: number[]): Promise<Household[]> {
    return ids.length ? this.db.getRepository(Household).findBy({ id: In([...new Set(ids)]) }) : Promise.resolve([]);
  }
  findOpenByIdHash(idNumberHash: string, em: EntityManager = this.db.manager): Promise<Household | null> {
    return em.getRepository(Household).findOneBy({ activeKey: idNumberHash });
  }
  async updateHousehold(em: EntityManager, id: number, patch: Partial<Household>): Promise<void> {
    await em.getRepository(Household).update({ id }, { ...patch, updatedAt: new Date() });
  }
  /** registered → active, only by someone other than the registrar and the last editor (four-eyes); false when the conditions do not hold. */
  async activateHousehold(em: EntityManager, id: number, reviewerId: number, now: Date): Promise<boolean> {
    const res = await em.createQueryBuilder().update(Household)
      .set({ status: 'active', reviewedById: reviewerId, activatedAt: now, lastReviewedAt: now, updatedAt: now })
      .where('id = :id AND status = :s AND registeredById <> :r AND (lastEditedById IS NULL OR lastEditedById <> :r)', { id, s: 'registered', r: reviewerId }).execute();
    return (res.affected ?? 0) === 1;
  }
  async markReviewed(id: number, reviewerId: number, now: Date): Promise<boolean> {
    const res = await this.db.createQueryBuilder().update(Household)
      .set({ reviewedById: reviewerId, lastReviewedAt: now, updatedAt: now })
      .where('id = :id AND status = :s', { id, s: 'active' }).execute();
    return (res.affected ?? 0) === 1;
  }
  /** registered|active → exited, freeing the ID number for a future file. */
  async exitHousehold(em: EntityManager, id: number, patch: { exitReason: string; exitDate: string; exitedById: number }): Promise<boolean> {
    const res = await em.createQueryBuilder().update(Household)
      .set({ ...patch, status: 'exited', activeKey: null, updatedAt: new Date() })
      .where('id = :id AND status IN (:...s)', { id, s: ['registered', 'active'] }).execute();
    return (res.affected ?? 0) === 1;
  }

  private householdQuery(f: HouseholdFilter): SelectQueryBuilder<Household> {
    const qb = this.db.getRepository(Household).createQueryBuilder('h').innerJoin(UnionOrg, 'o', 'o.id = h.orgId');
    if (f.scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(f.scopePath) });
    if (f.orgId) qb.andWhere('h.orgId = :orgId', { orgId: f.orgId });
    if (f.status) qb.andWhere('h.status = :status', { status: f.status });
    if (f.level) qb.andWhere('h.level = :level', { level: f.level });
    if (f.reviewedBefore) qb.andWhere("h.status = 'active' AND h.lastReviewedAt < :rb", { rb: f.reviewedBefore });
    if (f.namePrefix || f.idNumberHash || f.mobileHash) {
      qb.andWhere(new Brackets((w) => {
        if (f.namePrefix) w.orWhere(sqlLike('h.headName', ':np'), { np: likePrefix(f.namePrefix) });
        if (f.idNumberHash) w.orWhere('h.idNumberHash = :ih', { ih: f.idNumberHash });
        if (f.mobileHash) w.orWhere('h.mobileHash = :mh', { mh: f.mobileHash });
      }));
    }
    return qb;
  }
  listHouseholds(f: HouseholdFilter, skip: number, take: number): Promise<[Household[], number]> {
    return this.householdQuery(f).orderBy('h.id', 'DESC').skip(skip).take(take).getManyAndCount();
  }

  // ------------------------------------------------------------ household codes
  insertCode(em: EntityManager, c: Partial<HouseholdCode>): Promise<HouseholdCode> {
    const repo = em.getRepository(HouseholdCode);
    return repo.save(repo.create(c));
  }
  async revokeActiveCode(em: EntityManager, householdId: number, now: Date): Promise<void> {
    await em.createQueryBuilder().update(HouseholdCode).set({ activeKey: null, revokedAt: now })
      .where('householdId = :householdId AND activeKey IS NOT NULL', { householdId }).execute();
  }
  async maxCodeVersion(em: EntityManager, householdId: number): Promise<number> {
    const row = await em.getRepository(HouseholdCode).createQueryBuilder('c').select('MAX(c.version)', 'v').where('c.householdId = :householdId', { householdId }).getRawOne();
    return Number(row?.v ?? 0);
  }
  findCodeByBody(body: string): Promise<HouseholdCode | null> {
    return this.db.getRepository(HouseholdCode).findOneBy({ body });
  }
  async activeCodes(householdIds: number[]): Promise<Map<number, HouseholdCode>> {
    if (!householdIds.length) return new Map();
    const rows = await this.db.getRepository(HouseholdCode).findBy({ activeKey: In([...new Set(householdIds)]) });
    return new Map(rows.map((c) => [c.householdId, c]));
  }

  // ------------------------------------------------------------ binding
  findBinding(userId: number, householdId: number, em: EntityManager = this.db.manager): Promise<HouseholdBinding | null> {
    return em.getRepository(HouseholdBinding).findOneBy({ userId, householdId });
  }
  async insertBinding(em: EntityManager, userId: number, householdId: number, at: Date): Promise<void> {
    await em.getRepository(HouseholdBinding).insert({ userId, householdId, boundAt: at });
  }
  bindingsOfUser(userId: number): Promise<HouseholdBinding[]> {
    return this.db.getRepository(HouseholdBinding).find({ where: { userId }, order: { id: 'ASC' } });
  }
  /** Creates the guard row of (user, household) if missing; a concurrent twin creating it first is fine. */
  async ensureBindGuard(userId: number, householdId: number): Promise<void> {
    if (await this.db.getRepository(BindGuard).findOneBy({ userId, householdId })) return;
    try {
      await this.db.getRepository(BindGuard).insert({ userId, householdId, attempts: 0, lastAttemptAt: new Date() });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
  /** Takes the guard row's lock for the rest of the transaction (an UPDATE locks the row on MySQL and the database on SQLite). */
  async lockBindGuard(em: EntityManager, userId: number, householdId: number, now: Date): Promise<void> {
    await em.createQueryBuilder().update(BindGuard).set({ attempts: () => 'attempts + 1', lastAttemptAt: now })
      .where('userId = :userId AND householdId = :householdId', { userId, householdId }).execute();
  }
  /** Times of failed attempts since `since`, newest first. */
  async failuresSince(em: EntityManager, userId: number, householdId: number, since: Date): Promise<Date[]> {
    const rows = await em.getRepository(BindAttempt).createQueryBuilder('a').select('a.at', 'at')
      .where('a.userId = :userId AND a.householdId = :householdId AND a.ok = :ok AND a.at > :since', { userId, householdId, ok: false, since })
      .orderBy('a.at', 'DESC').limit(20).getRawMany();
    return rows.map((r) => toDate(r.at));
  }
  async insertBindAttempt(em: EntityManager, a: Partial<BindAttempt>): Promise<void> {
    await em.getRepository(BindAttempt).insert(a);
  }

  // ------------------------------------------------------------ payouts
  insertBatch(em: EntityManager, b: Partial<PayoutBatch>): Promise<PayoutBatch> {
    const repo = em.getRepository(PayoutBatch);
    return repo.save(repo.create(b));
  }
  findBatch(id: number, em: EntityManager = this.db.manager): Promise<PayoutBatch | null> {
    return em.getRepository(PayoutBatch).findOneBy({ id });
  }
  listBatches(scopePath: string | null, period: string | undefined, skip: number, take: number): Promise<[PayoutBatch[], number]> {
    const qb = this.db.getRepository(PayoutBatch).createQueryBuilder('b').innerJoin(UnionOrg, 'o', 'o.id = b.orgId');
    if (scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(scopePath) });
    if (period) qb.andWhere('b.period = :period', { period });
    return qb.orderBy('b.id', 'DESC').skip(skip).take(take).getManyAndCount();
  }

  /**
   * Moves failed payouts of `period` (or, with `earlier`, of any earlier period) for active households
   * of the subtree into `batchId`, as pending with the level amount. One payout row per household,
   * type and period is kept: a retry re-uses the failed row instead of creating a second one.
   */
  async moveFailedIntoBatch(em: EntityManager, a: { batchId: number; scopePath: string; aidType: AidType; period: string; earlier: boolean; amounts: Record<HardshipLevel, number>; now: Date; actorId: number }): Promise<void> {
    const periodCond = a.earlier ? 'period <= ?' : 'period = ?';
    await em.query(
      `UPDATE aid_payouts SET batchId = ?, status = 'pending', bankRef = NULL, bankDate = NULL, failReason = NULL, updatedAt = ?, lastEditedById = ?,
         amountFen = CASE level WHEN 'severe' THEN ? WHEN 'relative' THEN ? ELSE ? END
       WHERE status = 'failed' AND aidType = ? AND ${periodCond}
         AND householdId IN (SELECT h.id FROM aid_households h INNER JOIN union_orgs o ON o.id = h.orgId WHERE h.status = 'active' AND ${sqlLike('o.path', '?')})`,
      [a.batchId, sqlTime(a.now), a.actorId, a.amounts.severe, a.amounts.relative, a.amounts.sudden, a.aidType, a.period, likePrefix(a.scopePath)],
    );
  }

  /**
   * One pending payout for every active household of the subtree that has no payout of this type
   * and period yet: a single INSERT … SELECT … WHERE NOT EXISTS; the unique index on
   * (householdId, aidType, period) turns a concurrent twin batch into a duplicate-key error.
   */
  async insertMonthlyPayouts(em: EntityManager, a: { batchId: number; scopePath: string; aidType: AidType; period: string; amounts: Record<HardshipLevel, number>; now: Date }): Promise<void> {
    const now = sqlTime(a.now);
    await em.query(
      `INSERT INTO aid_payouts (batchId, householdId, orgId, aidType, period, level, amountFen, status, createdAt, updatedAt)
       SELECT ?, h.id, h.orgId, ?, ?, h.level, CASE h.level WHEN 'severe' THEN ? WHEN 'relative' THEN ? ELSE ? END, 'pending', ?, ?
       FROM aid_households h INNER JOIN union_orgs o ON o.id = h.orgId
       WHERE h.status = 'active' AND ${sqlLike('o.path', '?')}
         AND NOT EXISTS (SELECT 1 FROM aid_payouts p WHERE p.householdId = h.id AND p.aidType = ? AND p.period = ?)`,
      [a.batchId, a.aidType, a.period, a.amounts.severe, a.amounts.relative, a.amounts.sudden, now, now, likePrefix(a.scopePath), a.aidType, a.period],
    );
  }
  /** Moves a failed payout into a new batch as pending again, with a new amount (fen) and its bank fields cleared; the mover is its last editor. */
  async moveFailedPayout(em: EntityManager, payoutId: number, batchId: number, amountFen: number, now: Date, actorId: number): Promise<void> {
    await em.getRepository(Payout).update({ id: payoutId, status: 'failed' }, {
      batchId, amountFen, status: 'pending', bankRef: null, bankDate: null, failReason: null, updatedAt: now, lastEditedById: actorId,
    });
  }

  insertPayout(em: EntityManager, p: Partial<Payout>): Promise<Payout> {
    const repo = em.getRepository(Payout);
    return repo.save(repo.create(p));
  }
  findPayout(id: number, em: EntityManager = this.db.manager): Promise<Payout | null> {
    return em.getRepository(Payout).findOneBy({ id });
  }
  findPayoutFor(householdId: number, aidType: AidType, period: string, em: EntityManager = this.db.manager): Promise<Payout | null> {
    return em.getRepository(Payout).findOneBy({ householdId, aidType, period });
  }
  async batchPayoutIds(batchId: number, em: EntityManager = this.db.manager): Promise<Map<number, Payout>> {
    const rows = await em.getRepository(Payout).findBy({ batchId });
    return new Map(rows.map((p) => [p.householdId, p]));
  }
  listPayouts(batchId: number, status: PayoutStatus | undefined, skip: number, take: number): Promise<[Payout[], number]> {
    return this.db.getRepository(Payout).findAndCount({ where: { batchId, ...(status ? { status } : {}) }, order: { id: 'ASC' }, skip, take });
  }
  householdPayouts(householdId: number, take = 200): Promise<Payout[]> {
    return this.db.getRepository(Payout).find({ where: { householdId }, order: { period: 'DESC', id: 'DESC' }, take });
  }
  /** Status counts and sums of a batch's payouts. */
  async batchTotals(batchIds: number[]): Promise<Array<{ batchId: number; status: PayoutStatus; count: number; amountFen: number }>> {
    if (!batchIds.length) return [];
    const rows = await this.db.getRepository(Payout).createQueryBuilder('p')
      .select('p.batchId', 'batchId').addSelect('p.status', 'status').addSelect('COUNT(*)', 'count').addSelect('SUM(p.amountFen)', 'amount')
      .where('p.batchId IN (:...ids)', { ids: batchIds }).groupBy('p.batchId').addGroupBy('p.status').getRawMany();
    return rows.map((r) => ({ batchId: Number(r.batchId), status: r.status, count: Number(r.count), amountFen: Number(r.amount ?? 0) }));
  }
  async countBatchPayouts(em: EntityManager, batchId: number): Promise<number> {
    return em.getRepository(Payout).countBy({ batchId });
  }
  /**
   * Records a change of a pending batch: version + 1, its last editor and time. Runs first in every
   * change's transaction, so it takes the batch row's lock before the lines are touched and a
   * concurrent approval of the old version fails its `version = :v` condition. False when the batch is
   * not pending (approved content is never changed).
   */
  async bumpPendingBatch(em: EntityManager, batchId: number, editorId: number, now: Date): Promise<boolean> {
    const res = await em.createQueryBuilder().update(PayoutBatch)
      .set({ version: () => 'version + 1', lastEditedById: editorId, lastEditedAt: now })
      .where('id = :id AND status = :s', { id: batchId, s: 'pending' }).execute();
    return (res.affected ?? 0) === 1;
  }
  /** A pending payout's new amount (fen), recording its editor. */
  async updatePendingPayoutAmount(em: EntityManager, id: number, amountFen: number, editorId: number, now: Date): Promise<boolean> {
    const res = await em.createQueryBuilder().update(Payout).set({ amountFen, lastEditedById: editorId, updatedAt: now })
      .where('id = :id AND status = :s', { id, s: 'pending' }).execute();
    return (res.affected ?? 0) === 1;
  }
  /** Distinct editors of a batch's payouts (four-eyes makers besides the batch's creator and last editor). */
  async payoutEditors(em: EntityManager, batchId: number): Promise<number[]> {
    const rows = await em.getRepository(Payout).createQueryBuilder('p').select('p.lastEditedById', 'e')
      .where('p.batchId = :batchId AND p.lastEditedById IS NOT NULL', { batchId }).groupBy('p.lastEditedById').getRawMany();
    return rows.map((r) => Number(r.e));
  }
  /** Distinct payout editors per batch, for views. */
  async payoutEditorsOf(batchIds: number[]): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    if (!batchIds.length) return out;
    const rows = await this.db.getRepository(Payout).createQueryBuilder('p').select('p.batchId', 'b').addSelect('p.lastEditedById', 'e')
      .where('p.batchId IN (:...ids) AND p.lastEditedById IS NOT NULL', { ids: batchIds }).groupBy('p.batchId').addGroupBy('p.lastEditedById').getRawMany();
    for (const r of rows) out.set(Number(r.b), [...(out.get(Number(r.b)) ?? []), Number(r.e)]);
    return out;
  }
  /** The content lines of a batch as hashed for approval: payout id, household, aid type, period, amount (fen). */
  async batchContent(em: EntityManager, batchId: number): Promise<Array<[number, number, string, string, number]>> {
    const rows = await em.getRepository(Payout).find({ where: { batchId }, select: ['id', 'householdId', 'aidType', 'period', 'amountFen'] });
    return rows.map((p) => [p.id, p.householdId, p.aidType, p.period, p.amountFen]);
  }
  /**
   * pending → approved for the batch at `version`, only by someone who neither created it, nor last
   * changed it, nor changed any of its payouts (four-eyes again in the UPDATE itself); its pending
   * payouts become approved. False when any condition does not hold.
   */
  async approveBatch(em: EntityManager, id: number, a: { approverId: number; now: Date; version: number; hash: string }): Promise<boolean> {
    const now = a.now;
    const res = await em.createQueryBuilder().update(PayoutBatch)
      .set({ status: 'approved', approvedById: a.approverId, approvedAt: now, approvedVersion: a.version, approvedHash: a.hash })
      .where('id = :id AND status = :s AND version = :v AND createdById <> :a AND (lastEditedById IS NULL OR lastEditedById <> :a)', { id, s: 'pending', v: a.version, a: a.approverId })
      .andWhere('NOT EXISTS (SELECT 1 FROM aid_payouts ep WHERE ep.batchId = :id AND ep.lastEditedById = :a)')
      .execute();
    if ((res.affected ?? 0) !== 1) return false;
    await em.createQueryBuilder().update(Payout).set({ status: 'approved', updatedAt: now })
      .where('batchId = :id AND status = :s', { id, s: 'pending' }).execute();
    return true;
  }
  findBankRecords(refs: string[], em: EntityManager = this.db.manager): Promise<BankRecord[]> {
    return refs.length ? em.getRepository(BankRecord).findBy({ bankRef: In(refs) }) : Promise.resolve([]);
  }
  async insertBankRecord(em: EntityManager, r: Partial<BankRecord>): Promise<void> {
    await em.getRepository(BankRecord).insert(r);
  }
  /** approved → paid|failed; false when the payout was not approved any more (already settled). */
  async settlePayout(em: EntityManager, id: number, s: { status: 'paid' | 'failed'; bankRef: string; bankDate: string; failReason: string | null }): Promise<boolean> {
    const res = await em.createQueryBuilder().update(Payout).set({ ...s, updatedAt: new Date() })
      .where('id = :id AND status = :st', { id, st: 'approved' }).execute();
    return (res.affected ?? 0) === 1;
  }
  /** Payouts of the given households in the given periods (the public page: statuses only). */
  async payoutStatuses(householdId: number, fromPeriod: string): Promise<Array<{ period: string; status: PayoutStatus }>> {
    const rows = await this.db.getRepository(Payout).createQueryBuilder('p').select('p.period', 'period').addSelect('p.status', 'status')
      .where('p.householdId = :householdId AND p.period >= :fromPeriod', { householdId, fromPeriod }).getRawMany();
    return rows.map((r) => ({ period: String(r.period), status: r.status }));
  }

  /**
   * Everything the public scan shows, in one round trip: the code row by its unique body, its
   * household's status, head name and org name, and the statuses of its payouts since `fromPeriod`
   * (a range of the covering index (householdId, period, status)). Null when no code has this body;
   * `household` null when the household row is missing; `statuses` empty for a revoked code.
   */
  /**
   * What the public household-code scan shows, by code body: the code's state, the household's status, head name and
   * org name, and its payouts from `fromPeriod` on (none for a revoked code); null for an unknown body. Concurrent
   * scans share one query per event-loop round ({@link batchedRead}).
   */
  scanView(body: string, fromPeriod: string): Promise<ScanView | null> {
    return this.scans.load({ body, fromPeriod });
  }
  private readonly scans = batchedRead<{ body: string; fromPeriod: string }, ScanView>(async (keys) => {
    const found = new Map<string, ScanView>();
    for (const fromPeriod of new Set(keys.map((k) => k.fromPeriod))) {
      const bodies = [...new Set(keys.filter((k) => k.fromPeriod === fromPeriod).map((k) => k.body))];
      const rows: Array<Record<string, unknown>> = await this.db.query(
        `SELECT c.body AS body, c.householdId AS householdId, c.revokedAt AS revokedAt, c.activeKey AS activeKey, h.id AS hid, h.status AS hstatus,
                h.headName AS headName, o.name AS orgName, p.period AS period, p.status AS pstatus
         FROM aid_household_codes c
         LEFT JOIN aid_households h ON h.id = c.householdId
         LEFT JOIN union_orgs o ON o.id = h.orgId
         LEFT JOIN aid_payouts p ON p.householdId = c.householdId AND p.period >= ? AND c.activeKey IS NOT NULL AND c.revokedAt IS NULL
         WHERE c.body IN (${bodies.map(() => '?').join(', ')})`,
        [fromPeriod, ...bodies],
      );
      for (const body of bodies) {
        const mine = rows.filter((r) => r.body === body);
        const first = mine[0];
        if (!first) continue;
        found.set(`${fromPeriod}|${body}`, {
          householdId: Number(first.householdId),
          revoked: first.revokedAt !== null || first.activeKey === null,
          household: first.hid === null ? null : { status: first.hstatus as HouseholdStatus, headName: String(first.headName), orgName: first.orgName === null ? '' : String(first.orgName) },
          statuses: mine.filter((r) => r.period !== null).map((r) => ({ period: String(r.period), status: r.pstatus as PayoutStatus })),
        });
      }
    }
    return keys.map((k) => found.get(`${k.fromPeriod}|${k.body}`) ?? null);
  });

  // ------------------------------------------------------------ monitoring
  private scopedHouseholds(scopePath: string | null): SelectQueryBuilder<Household> {
    const qb = this.db.getRepository(Household).createQueryBuilder('h').innerJoin(UnionOrg, 'o', 'o.id = h.orgId');
    if (scopePath) qb.andWhere(sqlLike('o.path', ':p'), { p: likePrefix(scopePath) });
    return qb;
  }
  /**
   * Every household figure of the monitoring page in ONE pass over the subtree's households (the
   * (orgId, status) index per org of the subtree): groups by org, city, district and status, each
   * with conditional sums per level, employment status, cause and need tag (`|a|b|` columns), income
   * band (per-capita fen reaching `bandBounds[i]`), overdue review (active, last reviewed before
   * `reviewedBefore`), registrations per period and exits per period (exitDate's month). The caller
   * adds the groups up; counts are plain integers.
   */
  async householdFigures(scopePath: string | null, a: HouseholdFigureAxes): Promise<HouseholdFigureGroup[]> {
    const qb = this.scopedHouseholds(scopePath)
      .select('h.orgId', 'orgId').addSelect('h.city', 'city').addSelect('h.district', 'district').addSelect('h.status', 'status').addSelect('COUNT(*)', 'n');
    const sum = (alias: string, cond: string, params: Record<string, unknown> = {}) => {
      qb.addSelect(`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`, alias);
      qb.setParameters(params);
    };
    a.levels.forEach((v, i) => sum(`lv${i}`, `h.level = :lv${i}`, { [`lv${i}`]: v }));
    a.employment.forEach((v, i) => sum(`em${i}`, `h.employmentStatus = :em${i}`, { [`em${i}`]: v }));
    a.causes.forEach((v, i) => sum(`ca${i}`, sqlLike('h.causes', `:ca${i}`), { [`ca${i}`]: likeContains(`|${v}|`) }));
    a.needs.forEach((v, i) => sum(`ne${i}`, sqlLike('h.needs', `:ne${i}`), { [`ne${i}`]: likeContains(`|${v}|`) }));
    const band = a.bandBounds.map((b) => `CASE WHEN h.perCapitaIncomeFen >= ${Number(b)} THEN 1 ELSE 0 END`).join(' + ') || '0';
    for (let i = 0; i <= a.bandBounds.length; i++) sum(`bd${i}`, `(${band}) = ${i}`);
    sum('overdue', "h.status = 'active' AND h.lastReviewedAt < :rb", { rb: a.reviewedBefore });
    a.periods.forEach((p, i) => sum(`rg${i}`, `h.registeredPeriod = :rg${i}`, { [`rg${i}`]: p }));
    a.periods.forEach((p, i) => sum(`ex${i}`, `SUBSTR(h.exitDate, 1, 7) = :ex${i}`, { [`ex${i}`]: p }));
    qb.groupBy('h.orgId').addGroupBy('h.city').addGroupBy('h.district').addGroupBy('h.status');
    const rows = await qb.getRawMany();
    const list = (r: Record<string, unknown>, prefix: string, n: number) => Array.from({ length: n }, (_, i) => Number(r[`${prefix}${i}`] ?? 0));
    return rows.map((r) => ({
      orgId: Number(r.orgId), city: String(r.city), district: String(r.district), status: r.status as HouseholdStatus, count: Number(r.n),
      levels: list(r, 'lv', a.levels.length), employment: list(r, 'em', a.employment.length), causes: list(r, 'ca', a.causes.length),
      needs: list(r, 'ne', a.needs.length), bands: list(r, 'bd', a.bandBounds.length + 1), overdue: Number(r.overdue ?? 0),
      registrations: list(r, 'rg', a.periods.length), exits: list(r, 'ex', a.periods.length),
    }));
  }
  /** Non-failed payouts per period, type and status since `fromPeriod` (index-only on the covering index). */
  async payoutsByMonth(scopePath: string | null, fromPeriod: string): Promise<Array<{ period: string; aidType: AidType; status: PayoutStatus; count: number; amountFen: number }>> {
    // The subtree's org ids first (a small table), so the payouts side is a range read of the covering
    // index (orgId, period, aidType, status, amountFen) per org rather than a scan of every period's rows.
    const qb = this.db.getRepository(Payout).createQueryBuilder('p').where('p.period >= :fp', { fp: fromPeriod }).andWhere("p.status <> 'failed'");
    if (scopePath) {
      const orgIds = (await this.db.getRepository(UnionOrg).createQueryBuilder('o').select('o.id', 'id').where(sqlLike('o.path', ':p'), { p: likePrefix(scopePath) }).getRawMany()).map((r) => Number(r.id));
      if (!orgIds.length) return [];
      qb.andWhere('p.orgId IN (:...orgIds)', { orgIds });
    }
    // Grouped in the index's own order (orgId first), so MySQL aggregates while it walks the index instead of
    // through a temporary table and a sort (3x faster at 133,000 rows); the per-org groups are added up here.
    const rows = await qb.select('p.orgId', 'orgId').addSelect('p.period', 'period').addSelect('p.aidType', 'aidType').addSelect('p.status', 'status')
      .addSelect('COUNT(*)', 'n').addSelect('SUM(p.amountFen)', 'amount')
      .groupBy('p.orgId').addGroupBy('p.period').addGroupBy('p.aidType').addGroupBy('p.status').getRawMany();
    const sums = new Map<string, { period: string; aidType: AidType; status: PayoutStatus; count: number; amountFen: number }>();
    for (const r of rows) {
      const key = JSON.stringify([r.period, r.aidType, r.status]);
      const sum = sums.get(key) ?? { period: String(r.period), aidType: r.aidType, status: r.status, count: 0, amountFen: 0 };
      sum.count += Number(r.n);
      sum.amountFen += Number(r.amount ?? 0);
      sums.set(key, sum);
    }
    return [...sums.values()];
  }
}

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/Z|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}
