import { isDuplicateKey } from '../../common/db-errors';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import type { AidType, HardshipLevel, HouseholdStatus, PayoutStatus } from '@union/shared';
import { UnionOrg } from '../orgs/org.entity';
import { BindAttempt, BindGuard, Household, HouseholdBinding, HouseholdCode } from './entities/household.entity';
import { BankRecord, Payout, PayoutBatch } from './entities/payout.entity';
import { dialectOf, likePrefix, sqlLike } from '../../database/dialect';
import { DomainError } from '../../common/domain-error';
import {
  applyTallies, ensureAidTallies, withDeferredTallies, householdTallyDelta, PayoutTallyDelta, TALLIED_HOUSEHOLD_COLUMNS, TalliedHousehold, talliedHousehold,
} from './aid-tallies';
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

/** A monitoring scope: the union whose subtree it is, by id and materialised path (`orgId` 0 and `path` null: the whole tree). */
export interface MonitoringScope {
  orgId: number;
  path: string | null;
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

/**
 * Every query of the aid module. Raw SQL here is plain SQL-92 that MySQL/MariaDB and SQLite both run (dialect fragments
 * from database/dialect.ts). Every write of a household or a payout also applies its monitoring tally delta in the same
 * transaction (aid-tallies.ts); at start the tallies are rebuilt if their definition changed.
 */
@Injectable()
export class AidRepository implements OnModuleInit {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    await ensureAidTallies(this.db);
  }

  /** `work` in a new transaction whose monitoring tallies are written just before the commit (withDeferredTallies). */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return withDeferredTallies(this.db, work);
  }
  /** `work` inside the caller's transaction `em` when given (so a caller's multi-step write stays atomic), else in a new one. */
  within<T>(em: EntityManager | undefined, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return em ? work(em) : this.transaction(work);
  }

  // ------------------------------------------------------------ households
  /** Inserts a household (all tallied columns set) and counts it in the tallies. */
  async insertHousehold(em: EntityManager, h: Partial<Household>): Promise<Household> {
    const repo = em.getRepository(Household);
    const saved = await repo.save(repo.create(h));
    await applyTallies(em, { households: householdTallyDelta(null, talliedHousehold(saved as unknown as Record<string, unknown>)) });
    return saved;
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
  /** Changes fields of a household (any status), keeping the tallies in step; false when it does not exist. */
  updateHousehold(em: EntityManager, id: number, patch: Partial<Household>): Promise<boolean> {
    return this.changeHousehold(em, id, { ...patch, updatedAt: new Date() });
  }
  /** registered → active, only by someone other than the registrar and the last editor (four-eyes); false when the conditions do not hold. */
  activateHousehold(em: EntityManager, id: number, reviewerId: number, now: Date): Promise<boolean> {
    return this.changeHousehold(em, id, { status: 'active', reviewedById: reviewerId, activatedAt: now, lastReviewedAt: now, updatedAt: now }, {
      where: 'status = :s AND registeredById <> :r AND (lastEditedById IS NULL OR lastEditedById <> :r)', params: { s: 'registered', r: reviewerId },
    });
  }
  async markReviewed(id: number, reviewerId: number, now: Date): Promise<boolean> {
    const res = await this.db.createQueryBuilder().update(Household)
      .set({ reviewedById: reviewerId, lastReviewedAt: now, updatedAt: now })
      .where('id = :id AND status = :s', { id, s: 'active' }).execute();
    return (res.affected ?? 0) === 1;
  }
  /** registered|active → exited, freeing the ID number for a future file. */
  exitHousehold(em: EntityManager, id: number, patch: { exitReason: string; exitDate: string; exitedById: number }): Promise<boolean> {
    return this.changeHousehold(em, id, { ...patch, status: 'exited', activeKey: null, updatedAt: new Date() }, { where: 'status IN (:...s)', params: { s: ['registered', 'active'] } });
  }

  /** The tallied columns of a household, read with a lock on MySQL (its latest committed version, held to the commit). */
  private async talliedRow(em: EntityManager, id: number): Promise<TalliedHousehold | null> {
    const rows: Array<Record<string, unknown>> = await em.query(
      `SELECT ${TALLIED_HOUSEHOLD_COLUMNS.join(', ')} FROM aid_households WHERE id = ?${dialectOf(this.db).forUpdate}`, [id],
    );
    return rows.length ? talliedHousehold(rows[0]) : null;
  }

  /**
   * The one way a household's tallied columns change after its insert: reads them (locked on MySQL), applies `patch`
   * only if `only` holds AND the tallied columns still have the values read, then applies the tally delta (before →
   * after) in the same transaction. On SQLite, whose concurrent transactions share one connection, another change may
   * slip in between the read and the update: the update then matches nothing and the read is retried, so a delta is
   * never computed from a stale row. False when the row is missing or `only` does not hold.
   */
  private async changeHousehold(em: EntityManager, id: number, patch: Partial<Household>, only?: { where: string; params: Record<string, unknown> }): Promise<boolean> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const before = await this.talliedRow(em, id);
      if (!before) return false;
      const qb = em.createQueryBuilder().update(Household).set(patch).where('id = :tId', { tId: id });
      if (only) qb.andWhere(only.where, only.params);
      for (const c of TALLIED_HOUSEHOLD_COLUMNS) {
        if (before[c] === null) qb.andWhere(`${c} IS NULL`);
        else qb.andWhere(`${c} = :t_${c}`, { [`t_${c}`]: before[c] });
      }
      if (((await qb.execute()).affected ?? 0) === 1) {
        const after = { ...before } as Record<string, unknown>;
        for (const c of TALLIED_HOUSEHOLD_COLUMNS) if (c in patch) after[c] = (patch as Record<string, unknown>)[c];
        await applyTallies(em, { households: householdTallyDelta(before, talliedHousehold(after)) });
        return true;
      }
      const now = await this.talliedRow(em, id);
      if (!now || TALLIED_HOUSEHOLD_COLUMNS.every((c) => now[c] === before[c])) return false;
    }
    throw new DomainError('CONFLICT', '档案正被同时修改，请重试', 409);
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
    // the rows to move, locked on MySQL; moved by id below, so the tally delta is computed from exactly the rows moved
    const rows: Array<Record<string, unknown>> = await em.query(
      `SELECT id, orgId, period, level, amountFen FROM aid_payouts
       WHERE status = 'failed' AND aidType = ? AND ${periodCond}
         AND householdId IN (SELECT h.id FROM aid_households h INNER JOIN union_orgs o ON o.id = h.orgId WHERE h.status = 'active' AND ${sqlLike('o.path', '?')})${dialectOf(this.db).forUpdate}`,
      [a.aidType, a.period, likePrefix(a.scopePath)],
    );
    const amountOf = (level: unknown) => a.amounts[level as HardshipLevel] ?? a.amounts.sudden;
    let moved = 0;
    for (let i = 0; i < rows.length; i += 1000) {
      const ids = rows.slice(i, i + 1000).map((r) => Number(r.id));
      moved += await this.affected(em,
        `UPDATE aid_payouts SET batchId = ?, status = 'pending', bankRef = NULL, bankDate = NULL, failReason = NULL, updatedAt = ?, lastEditedById = ?,
           amountFen = CASE level WHEN 'severe' THEN ? WHEN 'relative' THEN ? ELSE ? END
         WHERE status = 'failed' AND id IN (${ids.map(() => '?').join(', ')})`,
        [a.batchId, sqlTime(a.now), a.actorId, a.amounts.severe, a.amounts.relative, a.amounts.sudden, ...ids],
      );
    }
    // only another transaction interleaved on SQLite's shared connection can take a row in between: roll back rather than miscount
    if (moved !== rows.length) throw new DomainError('CONFLICT', '退回记录正被同时处理，请重试', 409);
    await applyTallies(em, {
      payouts: rows.flatMap((r) => [
        { orgId: Number(r.orgId), period: String(r.period), aidType: a.aidType, status: 'failed', n: -1, amountFen: -Number(r.amountFen) },
        { orgId: Number(r.orgId), period: String(r.period), aidType: a.aidType, status: 'pending', n: 1, amountFen: amountOf(r.level) },
      ]),
    });
  }

  /** Rows changed by a raw UPDATE (both drivers), inside the transaction `em`. */
  private async affected(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
    if (!em.queryRunner) throw new Error('AidRepository.affected runs inside a transaction only');
    const res = await em.queryRunner.query(sql, params, true);
    return Number(res.affected ?? 0);
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
    // the rows just inserted: the batch is new to this transaction and only moved rows (above) carry an editor
    const rows: Array<Record<string, unknown>> = await em.query(
      'SELECT orgId, COUNT(*) AS n, SUM(amountFen) AS amount FROM aid_payouts WHERE batchId = ? AND lastEditedById IS NULL GROUP BY orgId', [a.batchId],
    );
    await applyTallies(em, {
      payouts: rows.map((r) => ({ orgId: Number(r.orgId), period: a.period, aidType: a.aidType, status: 'pending', n: Number(r.n), amountFen: Number(r.amount ?? 0) })),
    });
  }
  /**
   * Moves a failed payout into a new batch as pending again, with a new amount (fen) and its bank fields cleared; the
   * mover is its last editor. False when it is not failed any more (a failed payout's org, period, type and amount never
   * change, so `failed`'s values are its current ones).
   */
  async moveFailedPayout(em: EntityManager, failed: Payout, batchId: number, amountFen: number, now: Date, actorId: number): Promise<boolean> {
    const res = await em.getRepository(Payout).update({ id: failed.id, status: 'failed' }, {
      batchId, amountFen, status: 'pending', bankRef: null, bankDate: null, failReason: null, updatedAt: now, lastEditedById: actorId,
    });
    if ((res.affected ?? 0) !== 1) return false;
    await applyTallies(em, { payouts: [payoutDelta(failed, 'failed', -1, failed.amountFen), payoutDelta(failed, 'pending', 1, amountFen)] });
    return true;
  }

  /** Inserts a payout and counts it in the tallies. */
  async insertPayout(em: EntityManager, p: Partial<Payout>): Promise<Payout> {
    const repo = em.getRepository(Payout);
    const saved = await repo.save(repo.create(p));
    await applyTallies(em, { payouts: [payoutDelta(saved, saved.status, 1, saved.amountFen)] });
    return saved;
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
  /**
   * A pending payout's new amount (fen), recording its editor; false when it is not pending. The old amount is read
   * (locked on MySQL) and the update requires it unchanged, so the tally moves by exactly new − old (retried when
   * another edit slipped in on SQLite's shared connection).
   */
  async updatePendingPayoutAmount(em: EntityManager, id: number, amountFen: number, editorId: number, now: Date): Promise<boolean> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const [p]: Array<Record<string, unknown>> = await em.query(`SELECT orgId, period, aidType, status, amountFen FROM aid_payouts WHERE id = ?${dialectOf(this.db).forUpdate}`, [id]);
      if (!p || p.status !== 'pending') return false;
      const res = await em.createQueryBuilder().update(Payout).set({ amountFen, lastEditedById: editorId, updatedAt: now })
        .where('id = :id AND status = :s AND amountFen = :old', { id, s: 'pending', old: Number(p.amountFen) }).execute();
      if ((res.affected ?? 0) === 1) {
        await applyTallies(em, { payouts: [{ orgId: Number(p.orgId), period: String(p.period), aidType: String(p.aidType), status: 'pending', n: 0, amountFen: amountFen - Number(p.amountFen) }] });
        return true;
      }
    }
    throw new DomainError('CONFLICT', '发放金额正被同时修改，请重试', 409);
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
    // the batch is approved now, so its pending payouts cannot change any more (every change bumps a pending batch first)
    const groups: Array<Record<string, unknown>> = await em.query(
      "SELECT orgId, period, aidType, COUNT(*) AS n, SUM(amountFen) AS amount FROM aid_payouts WHERE batchId = ? AND status = 'pending' GROUP BY orgId, period, aidType", [id],
    );
    const updated = await em.createQueryBuilder().update(Payout).set({ status: 'approved', updatedAt: now })
      .where('batchId = :id AND status = :s', { id, s: 'pending' }).execute();
    if ((updated.affected ?? 0) !== groups.reduce((s, g) => s + Number(g.n), 0)) throw new DomainError('CONFLICT', '发放批次正被同时处理，请重试', 409);
    await applyTallies(em, {
      payouts: groups.flatMap((g) => {
        const k = { orgId: Number(g.orgId), period: String(g.period), aidType: String(g.aidType) };
        return [{ ...k, status: 'pending', n: -Number(g.n), amountFen: -Number(g.amount ?? 0) }, { ...k, status: 'approved', n: Number(g.n), amountFen: Number(g.amount ?? 0) }];
      }),
    });
    return true;
  }
  findBankRecords(refs: string[], em: EntityManager = this.db.manager): Promise<BankRecord[]> {
    return refs.length ? em.getRepository(BankRecord).findBy({ bankRef: In(refs) }) : Promise.resolve([]);
  }
  async insertBankRecord(em: EntityManager, r: Partial<BankRecord>): Promise<void> {
    await em.getRepository(BankRecord).insert(r);
  }
  /**
   * approved → paid|failed; false when the payout was not approved any more (already settled). An approved payout's org,
   * period, type and amount never change, so `payout`'s values are its current ones.
   */
  async settlePayout(em: EntityManager, payout: Payout, s: { status: 'paid' | 'failed'; bankRef: string; bankDate: string; failReason: string | null }): Promise<boolean> {
    const res = await em.createQueryBuilder().update(Payout).set({ ...s, updatedAt: new Date() })
      .where('id = :id AND status = :st', { id: payout.id, st: 'approved' }).execute();
    if ((res.affected ?? 0) !== 1) return false;
    await applyTallies(em, { payouts: [payoutDelta(payout, 'approved', -1, payout.amountFen), payoutDelta(payout, s.status, 1, payout.amountFen)] });
    return true;
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
  private static scopeFilter(scope: MonitoringScope): { sql: string; params: string[] } {
    return scope.path ? { sql: `${sqlLike('o.path', '?')}`, params: [likePrefix(scope.path)] } : { sql: 'o.id > 0', params: [] };
  }
  /**
   * The household roll-ups of the scope (see aid-tallies.ts): `dim` → value → households in the subtree; registration
   * and exit months from `fromPeriod` on. One primary-key range of one org id, whatever the subtree's size.
   */
  async householdRollups(scope: MonitoringScope, fromPeriod: string): Promise<Map<string, Map<string, number>>> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT t.dim AS dim, t.val AS val, t.n AS n FROM aid_household_rollups t WHERE t.orgId = ? AND t.dim <> '_version' AND (t.dim NOT IN ('reg', 'exit') OR t.val >= ?)`,
      [scope.orgId, fromPeriod],
    );
    const out = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const n = Number(r.n);
      if (!n) continue;
      const m = out.get(String(r.dim)) ?? new Map<string, number>();
      out.set(String(r.dim), m.set(String(r.val), n));
    }
    return out;
  }
  /** Open files (registered or active) per union of the scope that has any: id, code, name and count, from each union's own tallies. */
  async openByOrg(scope: MonitoringScope): Promise<Array<{ orgId: number; code: string; name: string; open: number }>> {
    const f = AidRepository.scopeFilter(scope);
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT o.id AS orgId, o.code AS code, o.name AS name, SUM(t.n) AS n
       FROM union_orgs o JOIN aid_household_tallies t ON t.orgId = o.id AND t.dim = 'status' AND t.val IN ('registered', 'active')
       WHERE ${f.sql} GROUP BY o.id, o.code, o.name`,
      f.params,
    );
    return rows.filter((r) => Number(r.n) > 0).map((r) => ({ orgId: Number(r.orgId), code: String(r.code), name: String(r.name), open: Number(r.n) }));
  }
  /** Payouts of the scope per period, type and status since `fromPeriod`, failed ones left out, from its payout roll-ups. */
  async payoutRollups(scope: MonitoringScope, fromPeriod: string): Promise<Array<{ period: string; aidType: AidType; status: PayoutStatus; count: number; amountFen: number }>> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT t.period AS period, t.aidType AS aidType, t.status AS status, t.n AS n, t.amountFen AS amount
       FROM aid_payout_rollups t WHERE t.orgId = ? AND t.period >= ? AND t.status <> 'failed'`,
      [scope.orgId, fromPeriod],
    );
    return rows.filter((r) => Number(r.n) !== 0)
      .map((r) => ({ period: String(r.period), aidType: r.aidType as AidType, status: r.status as PayoutStatus, count: Number(r.n), amountFen: Number(r.amount ?? 0) }));
  }
  /** Active households of the scope last reviewed before `before`: counted live (it depends on the clock), a range of (orgId, status, lastReviewedAt) per union of the subtree. */
  async overdueCount(scope: MonitoringScope, before: Date): Promise<number> {
    const f = AidRepository.scopeFilter(scope);
    const [row] = await this.db.query(
      `SELECT COUNT(*) AS n FROM union_orgs o JOIN aid_households t ON t.orgId = o.id AND t.status = 'active' AND t.lastReviewedAt < ? WHERE ${f.sql}`,
      [sqlTime(before), ...f.params],
    );
    return Number(row?.n ?? 0);
  }
}

/** A payout's tally increment: `n` payouts of `amountFen` fen under its org, period and type, in `status`. */
function payoutDelta(p: Pick<Payout, 'orgId' | 'period' | 'aidType'>, status: string, n: number, amountFen: number): PayoutTallyDelta {
  return { orgId: Number(p.orgId), period: p.period, aidType: p.aidType, status, n, amountFen: n < 0 ? -amountFen : amountFen };
}

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/Z|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}
