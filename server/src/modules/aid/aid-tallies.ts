import { DataSource, EntityManager } from 'typeorm';
import { INCOME_BANDS } from '@union/shared';
import { dialectOf } from '../../database/dialect';

/**
 * Monitoring tallies (监测统计): counts kept per org in the same transaction as every change of a household or a
 * payout, so the city dashboard sums a few thousand tally rows of the subtree's orgs instead of scanning its files.
 *
 * - `aid_household_tallies` (orgId, dim, val) → n: see {@link householdTallyKeys} for the dimensions.
 * - `aid_payout_tallies` (orgId, period, aidType, status) → n, amountFen (fen).
 * - "Overdue review" is not tallied: it depends on the clock, so it stays an indexed count (AidRepository.overdueCount).
 *
 * Every write path of `AidRepository` computes a delta (before → after of the rows it changed) and hands it to
 * {@link applyTallies}, the only place that writes tallies: one upsert with increments per table (`n = n + ?`), atomic
 * per row on both databases, so concurrent writers never lose a count. {@link rebuildAidTallies} recomputes everything
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
export const AID_TALLY_VERSION = `v1:bands=${INCOME_BANDS.map((b) => b.minFen).join(',')}`;

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

/**
 * Adds the deltas to the tallies inside the caller's transaction `em`: equal keys merged, zero increments dropped, rows
 * sorted by key (concurrent transactions take the rows' locks in the same order on MySQL), one upsert with increments
 * per 300 rows. The only writer of the tally tables besides {@link rebuildAidTallies}.
 */
export async function applyTallies(em: EntityManager, d: { households?: HouseholdTallyDelta[]; payouts?: PayoutTallyDelta[] }): Promise<void> {
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
  if (d.households?.length) {
    await write<HouseholdTallyDelta>('aid_household_tallies', ['orgId', 'dim', 'val'], ['n'], merge(d.households, (r) => [r.orgId, r.dim, r.val], ['n']));
  }
  if (d.payouts?.length) {
    await write<PayoutTallyDelta>('aid_payout_tallies', ['orgId', 'period', 'aidType', 'status'], ['n', 'amountFen'],
      merge(d.payouts, (r) => [r.orgId, r.period, r.aidType, r.status], ['n', 'amountFen']));
  }
}

/**
 * Recomputes every tally from the rows, inside the caller's transaction `em`, and records {@link AID_TALLY_VERSION}.
 * Deletes the tallies first: on MySQL that locks them, so a concurrent writer's increment waits for this commit, and
 * the rows are then read from one snapshot taken after the delete (a change committed before is counted here, one
 * committed after adds its own increment). Returns how many households and payouts were counted.
 */
export async function rebuildAidTallies(em: EntityManager): Promise<{ households: number; payouts: number }> {
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
  await applyTallies(em, {
    households: [...sums.values(), { orgId: 0, dim: '_version', val: AID_TALLY_VERSION, n: 1 }],
    payouts: payoutRows.map((r) => ({
      orgId: Number(r.orgId), period: String(r.period), aidType: String(r.aidType), status: String(r.status), n: Number(r.n), amountFen: Number(r.amount ?? 0),
    })),
  });
  return { households, payouts: payoutRows.reduce((s, r) => s + Number(r.n), 0) };
}

/** At start: rebuilds the tallies (in one transaction) unless they were built with the current {@link AID_TALLY_VERSION}. True when it rebuilt. */
export async function ensureAidTallies(db: DataSource): Promise<boolean> {
  const rows = await db.query("SELECT n FROM aid_household_tallies WHERE orgId = 0 AND dim = '_version' AND val = ?", [AID_TALLY_VERSION]);
  if (rows.length) return false;
  await db.transaction((em) => rebuildAidTallies(em));
  return true;
}
