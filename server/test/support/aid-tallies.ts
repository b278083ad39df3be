import { rebuildAidTallies } from '../../src/modules/aid/aid-tallies';
import type { TestApp } from './app';

/** The monitoring tally and roll-up tables as sorted lines, rows counting nothing left out. */
async function tallyLines(t: TestApp): Promise<string[]> {
  const lines: string[] = [];
  for (const kind of ['tallies', 'rollups']) {
    const households = await t.db.query(`SELECT orgId, dim, val, n FROM aid_household_${kind}`);
    const payouts = await t.db.query(`SELECT orgId, period, aidType, status, n, amountFen FROM aid_payout_${kind}`);
    lines.push(
      ...households.filter((r: any) => Number(r.n) !== 0).map((r: any) => `${kind} h ${r.orgId} ${r.dim} ${r.val} ${Number(r.n)}`),
      ...payouts.filter((r: any) => Number(r.n) !== 0 || Number(r.amountFen) !== 0).map((r: any) => `${kind} p ${r.orgId} ${r.period} ${r.aidType} ${r.status} ${Number(r.n)} ${Number(r.amountFen)}`),
    );
  }
  return lines.sort();
}

/**
 * The tallies kept by the write paths, and what a rebuild from the rows gives (the rebuild then stays): equal unless an
 * increment was lost, doubled or missed by some write path.
 */
export async function talliesAndRebuild(t: TestApp): Promise<{ kept: string[]; rebuilt: string[] }> {
  const kept = await tallyLines(t);
  await t.db.transaction((em) => rebuildAidTallies(em));
  return { kept, rebuilt: await tallyLines(t) };
}
