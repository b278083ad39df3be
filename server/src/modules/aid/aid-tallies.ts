import { DataSource, EntityManager } from 'typeorm';
import { INCOME_BANDS } from '@union/shared';
import { dialectOf } from '../../database/dialect';

/**
 * Monitoring tallies (监测统计): counts kept in the same transaction as every change of a household or a payout, so
 * the dashboard reads a few dozen counter rows instead of scanning files, however many unions the scope holds.
 *
 * - `aid_household_tallies` (orgId, dim, val) → n: the org's own households; see {@link householdTallyKeys} for the
 *   dimensions. Read for the per-union list (`status` rows of the subtree's orgs).
 * - `aid_payout_tallies` (orgId, period, aidType, status) → n, amountFen (fen): the org's own payouts.
 * - Roll-ups `aid_household_rollups` / `aid_payout_rollups`: the same keys, counted under every ancestor of the
 *   household's org, the org itself and `orgId` 0 (the whole tree), so a scope's figures are the rows of one org id.
 *   An org's position never changes (orgs are created under a parent and only renamed), so ancestors are cached per
 *   data source.
 * - "Overdue review" is not tallied: it depends on the clock, so it stays an indexed count (AidRepository.overdueCount).
 *
 * Every write path of `AidRepository` computes a delta (before → after of the rows it changed) and hands it to
 * {@link applyTallies}, the only place that writes tallies and roll-ups: one upsert with increments per table
 * (`n = n + ?`), atomic per row on both databases, so concurrent writers never lose a count. Inside
 * {@link withDeferredTallies} (every aid transaction) the increments are gathered and written once, just before the
 * commit, roll-ups first and each table's rows in key order: every aid transaction touches the roll-up rows of the
 * whole tree, and taking those locks last and in one order keeps concurrent imports and batches from deadlocking and
 * holds them only for the commit. {@link rebuildAidTallies} recomputes everything
 * from the rows (the migration's backfill, and at start when the stored definition version differs:
 * {@link ensureAidTallies}). Rows written straight into `aid_households` / `aid_payouts` by SQL outside the repository
 * are not counted until the next rebuild.
 */

/** The household columns the tallies depend on. */
export const TALLIED_HOUSEHOLD_COLUMNS = [
  'orgId', 'status', 'city', 'district', 'level', 'employmentStatus', 'perCapitaIncomeFen', 'registeredPeriod', 'exitDate', 'causes', 'needs',
] as const;

/** The tallied columns of one household row. */
export interface TalliedHousehold {
  orgId: number;
  status: string;
  city: string;
  district: string;
  level: string;
  employmentStatus: string;
  perCapitaIncomeFen: number;
  registeredPeriod: string;
  exitDate: string | null;
  causes: string;
  needs: string;
}

/** An increment of one household tally row (n may be negative). */
export interface HouseholdTallyDelta {
  orgId: number;
  dim: string;
  val: string;
  n: number;
}

/** An increment of one payout tally row: `n` payouts and `amountFen` fen (either may be negative). */
export interface PayoutTallyDelta {
  orgId: number;
  period: string;
  aidType: string;
  status: string;
  n: number;
  amountFen: number;
}

/**
 * The definition the stored tallies were built with: a change of the income bands (or of this code's dimensions: bump
 * the `v`) makes {@link ensureAidTallies} rebuild them at the next start.
 */
export const AID_TALLY_VERSION = `v2:rollups:bands=${INCOME_BANDS.map((b) => b.minFen).join(',')}`;

/** Key of an income band (`INCOME_BANDS[i].key`): the number of band lower bounds (after the first) the per-capita fen reaches. */
export function incomeBandKey(perCapitaFen: number): string {
  return INCOME_BANDS[INCOME_BANDS.slice(1).filter((b) => perCapitaFen >= b.minFen).length].key;
}

const tags = (stored: string) => [...new Set(stored.split('|').filter(Boolean))];

/**
 * The tally rows one household counts in (each with n = 1), all under its org:
 * `status`=its status, `reg`=registration month; exited files: `exit`=exit month (`YYYY-MM` of exitDate, when set);
 * open files (registered or active): `region`=JSON `[city, district]`, `level`, `employment`, `band` (income band key),
 * one `cause` per cause tag and one `need` per need tag.
 */
export function householdTallyKeys(h: TalliedHousehold): Array<[number, string, string]> {
  const keys: Array<[string, string]> = [['status', h.status], ['reg', h.registeredPeriod]];
  if (h.status === 'exited') {
    if (h.exitDate) keys.push(['exit', h.exitDate.slice(0, 7)]);
  } else {
    keys.push(['region', JSON.stringify([h.city, h.district])], ['level', h.level], ['employment', h.employmentStatus], ['band', incomeBandKey(Number(h.perCapitaIncomeFen))]);
    for (const c of tags(h.causes)) keys.push(['cause', c]);
    for (const n of tags(h.needs)) keys.push(['need', n]);
  }
  return keys.map(([dim, val]) => [Number(h.orgId), dim, val]);
}

/** The increments turning `before`'s tally rows into `after`'s (null: no row before / after), zero entries left out. */
export function householdTallyDelta(before: TalliedHousehold | null, after: TalliedHousehold | null): HouseholdTallyDelta[] {
  const sums = new Map<string, HouseholdTallyDelta>();
  const add = (h: TalliedHousehold | null, n: number) => {
    for (const [orgId, dim, val] of h ? householdTallyKeys(h) : []) {
      const k = JSON.stringify([orgId, dim, val]);
      const d = sums.get(k) ?? { orgId, dim, val, n: 0 };
      d.n += n;
      sums.set(k, d);
    }
  };
  add(before, -1);
  add(after, 1);
  return [...sums.values()].filter((d) => d.n !== 0);
}

/** A raw row (any driver) as {@link TalliedHousehold}. */
export function talliedHousehold(r: Record<string, unknown>): TalliedHousehold {
  return {
    orgId: Number(r.orgId), status: String(r.status), city: String(r.city), district: String(r.district), level: String(r.level),
    employmentStatus: String(r.employmentStatus), perCapitaIncomeFen: Number(r.perCapitaIncomeFen), registeredPeriod: String(r.registeredPeriod),
    exitDate: r.exitDate === null || r.exitDate === undefined ? null : String(r.exitDate), causes: String(r.causes), needs: String(r.needs),
  };
}

const CHUNK = 300;

/** Tally increments of one transaction, not yet written. */
interface TallyDeltas {
  households: HouseholdTallyDelta[];
  payouts: PayoutTallyDelta[];
}

/** Transactions (by their EntityManager) whose tally writes wait for {@link withDeferredTallies} to flush them. */
const deferred = new WeakMap<EntityManager, TallyDeltas>();

/**
 * `work` in a new transaction of `db` whose tally increments ({@link applyTallies}) are gathered and written once,
 * after `work` and before the commit (see the file's comment for why). What `work` returns is returned; an error
 * rolls everything back, increments included. Every aid transaction is started through here.
 */
export function withDeferredTallies<T>(db: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return db.transaction(async (em) => {
    if (deferred.has(em)) return work(em); // nested: the outer one flushes
    const pending: TallyDeltas = { households: [], payouts: [] };
    deferred.set(em, pending);
    try {
      const result = await work(em);
      await writeTallies(em, pending);
      return result;
    } finally {
      deferred.delete(em);
    }
  });
}

/**
 * Adds the deltas to the tallies and roll-ups inside the caller's transaction `em`: gathered until the commit when
 * the transaction was started by {@link withDeferredTallies}, else written at once. The only writer of the four
 * tables besides {@link rebuildAidTallies}.
 */
export async function applyTallies(em: EntityManager, d: { households?: HouseholdTallyDelta[]; payouts?: PayoutTallyDelta[] }): Promise<void> {
  const pending = deferred.get(em);
  if (pending) {
    if (d.households) pending.households.push(...d.households);
    if (d.payouts) pending.payouts.push(...d.payouts);
    return;
  }
  await writeTallies(em, { households: d.households ?? [], payouts: d.payouts ?? [] });
}

/** Ancestors (the org itself included, root first) per org id, per data source: positions never change. */
const ancestorCache = new WeakMap<DataSource, Map<number, number[]>>();

/** The org ids each of `orgIds` counts under in the roll-ups: 0 (the whole tree), then its path from the root to itself. */
async function rollupTargets(em: EntityManager, orgIds: number[]): Promise<Map<number, number[]>> {
  let cache = ancestorCache.get(em.connection);
  if (!cache) ancestorCache.set(em.connection, (cache = new Map()));
  const missing = [...new Set(orgIds)].filter((id) => id > 0 && !cache!.has(id));
  if (missing.length) {
    const orgs: Array<{ id: unknown; path: unknown }> = await em.query(
      `SELECT id, path FROM union_orgs WHERE id IN (${missing.map(() => '?').join(', ')})`, missing,
    );
    const codes = [...new Set(orgs.flatMap((o) => String(o.path).split('/').filter(Boolean)))];
    const byCode = new Map<string, number>();
    for (let i = 0; i < codes.length; i += CHUNK) {
      const part = codes.slice(i, i + CHUNK);
      const rows: Array<{ id: unknown; code: unknown }> = await em.query(`SELECT id, code FROM union_orgs WHERE code IN (${part.map(() => '?').join(', ')})`, part);
      for (const r of rows) byCode.set(String(r.code), Number(r.id));
    }
    for (const o of orgs) {
      const path = String(o.path).split('/').filter(Boolean).map((c) => byCode.get(c));
      if (path.every((x): x is number => x !== undefined)) cache.set(Number(o.id), path);
    }
  }
  return new Map(orgIds.map((id) => [id, [0, ...(cache!.get(id) ?? (id > 0 ? [id] : []))]]));
}

/** Writes the increments: roll-ups (unless `rollups` is false), then tallies; in each table equal keys merged, zeros dropped, rows in key order. */
async function writeTallies(em: EntityManager, d: TallyDeltas, rollups = true): Promise<void> {
  if (!d.households.length && !d.payouts.length) return;
  const dialect = dialectOf(em.connection);
  const merge = <T extends object>(rows: T[], key: (r: T) => unknown[], addCols: Array<keyof T>) => {
    const m = new Map<string, T>();
    for (const r of rows) {
      const k = JSON.stringify(key(r));
      const cur = m.get(k);
      if (!cur) m.set(k, { ...r });
      else for (const c of addCols) (cur[c] as number) += r[c] as number;
    }
    return [...m.entries()].filter(([, r]) => addCols.some((c) => r[c] !== 0)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  };
  const write = async <T extends object>(table: string, keys: Array<keyof T>, adds: Array<keyof T>, rows: T[]) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      await em.query(dialect.upsertAdd(table, keys as string[], adds as string[], part.length), part.flatMap((r) => [...keys, ...adds].map((c) => r[c])));
    }
  };
  const households = merge(d.households, (r) => [r.orgId, r.dim, r.val], ['n']);
  const payouts = merge(d.payouts, (r) => [r.orgId, r.period, r.aidType, r.status], ['n', 'amountFen']);
  if (rollups) {
    const targets = await rollupTargets(em, [...households.map((r) => r.orgId), ...payouts.map((r) => r.orgId)]);
    const up = <T extends { orgId: number }>(rows: T[]) => rows.flatMap((r) => (r.orgId > 0 ? targets.get(r.orgId)! : []).map((orgId) => ({ ...r, orgId })));
    const householdKey = (r: HouseholdTallyDelta) => [r.orgId, r.dim, r.val];
    const payoutKey = (r: PayoutTallyDelta) => [r.orgId, r.period, r.aidType, r.status];
    await write<HouseholdTallyDelta>('aid_household_rollups', ['orgId', 'dim', 'val'], ['n'], merge(up(households), householdKey, ['n']));
    await write<PayoutTallyDelta>('aid_payout_rollups', ['orgId', 'period', 'aidType', 'status'], ['n', 'amountFen'], merge(up(payouts), payoutKey, ['n', 'amountFen']));
  }
  await write<HouseholdTallyDelta>('aid_household_tallies', ['orgId', 'dim', 'val'], ['n'], households);
  await write<PayoutTallyDelta>('aid_payout_tallies', ['orgId', 'period', 'aidType', 'status'], ['n', 'amountFen'], payouts);
}

/**
 * Recomputes every tally and roll-up from the rows, inside the caller's transaction `em`, and records
 * {@link AID_TALLY_VERSION}. Deletes them first: on MySQL that locks them, so a concurrent writer's increment waits for
 * this commit, and the rows are then read from one snapshot taken after the delete (a change committed before is
 * counted here, one committed after adds its own increment). `rollups: false` leaves the roll-up tables alone (the
 * migration that created the tallies runs before the one that creates the roll-ups). Returns how many households and
 * payouts were counted.
 */
export async function rebuildAidTallies(em: EntityManager, opts: { rollups?: boolean } = {}): Promise<{ households: number; payouts: number }> {
  const rollups = opts.rollups !== false;
  if (rollups) {
    await em.query('DELETE FROM aid_household_rollups');
    await em.query('DELETE FROM aid_payout_rollups');
  }
  await em.query('DELETE FROM aid_household_tallies');
  await em.query('DELETE FROM aid_payout_tallies');
  const sums = new Map<string, HouseholdTallyDelta>();
  let households = 0;
  for (let last = 0; ;) {
    const rows: Array<Record<string, unknown>> = await em.query(
      `SELECT id, ${TALLIED_HOUSEHOLD_COLUMNS.join(', ')} FROM aid_households WHERE id > ? ORDER BY id LIMIT 10000`, [last],
    );
    if (!rows.length) break;
    for (const r of rows) {
      for (const [orgId, dim, val] of householdTallyKeys(talliedHousehold(r))) {
        const k = JSON.stringify([orgId, dim, val]);
        const d = sums.get(k) ?? { orgId, dim, val, n: 0 };
        d.n += 1;
        sums.set(k, d);
      }
    }
    households += rows.length;
    last = Number(rows[rows.length - 1].id);
  }
  const payoutRows: Array<Record<string, unknown>> = await em.query(
    'SELECT orgId, period, aidType, status, COUNT(*) AS n, SUM(amountFen) AS amount FROM aid_payouts GROUP BY orgId, period, aidType, status',
  );
  await writeTallies(em, {
    households: [...sums.values(), { orgId: 0, dim: '_version', val: rollups ? AID_TALLY_VERSION : 'v1', n: 1 }],
    payouts: payoutRows.map((r) => ({
      orgId: Number(r.orgId), period: String(r.period), aidType: String(r.aidType), status: String(r.status), n: Number(r.n), amountFen: Number(r.amount ?? 0),
    })),
  }, rollups);
  return { households, payouts: payoutRows.reduce((s, r) => s + Number(r.n), 0) };
}

/** At start: rebuilds the tallies (in one transaction) unless they were built with the current {@link AID_TALLY_VERSION}. True when it rebuilt. */
export async function ensureAidTallies(db: DataSource): Promise<boolean> {
  const rows = await db.query("SELECT n FROM aid_household_tallies WHERE orgId = 0 AND dim = '_version' AND val = ?", [AID_TALLY_VERSION]);
  if (rows.length) return false;
  await db.transaction((em) => rebuildAidTallies(em));
  return true;
}
