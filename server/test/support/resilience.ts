import { spawn } from 'child_process';
import { dirname, join } from 'path';
import type { TestApp } from './app';
import { activeHousehold } from './aid';
import { createStation } from './stations';
import { createMembers, TestMember } from './vouchers-factory';
import { idemKey, voucherFixtures } from './vouchers-fixtures';
import { SERVER_MAIN } from './process';

/** One HTTP answer as a client saw it; `status` 0 = no answer (connection error or client timeout). */
export interface Answer {
  status: number;
  body: any;
  ms: number;
  at: number;
  error?: string;
}

/** One request with a client-side timeout; never throws. */
export async function call(base: string, method: string, path: string, token: string | null, body?: object, key?: string, timeoutMs = 15_000): Promise<Answer> {
  const at = Date.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(key ? { 'Idempotency-Key': key } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: any = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed, ms: Date.now() - at, at };
  } catch (e) {
    return { status: 0, body: null, ms: Date.now() - at, at, error: (e as Error).message };
  }
}

/** True when an answer carries the error envelope `{code, message}`. */
export const isEnvelope = (a: Answer) => !!a.body && typeof a.body === 'object' && typeof a.body.code === 'string' && typeof a.body.message === 'string';

/** Data for a mixed stream: members, a campaign, merchants with clerks, stations, active households. */
export interface World {
  staff: string;
  staffB: string;
  members: TestMember[];
  campaign: { id: number; types: Array<{ id: number }> };
  clerks: string[];
  stationCodes: string[];
  households: number[];
}

/**
 * Builds the world through the in-process app `t` (the real API plus the fast member factory).
 * The campaign has two types with small stock (so the stream sells out) and per-member limits.
 */
export async function buildWorld(t: TestApp, opts: { members: number; stock: number; merchants: number; stations: number; households: number; prefix: string }): Promise<World> {
  const staff = await t.login(`${opts.prefix}-staff-a`, 'union_staff', 'HB-HS');
  const staffB = await t.login(`${opts.prefix}-staff-b`, 'union_staff', 'HB-HS');
  const fx = voucherFixtures(t, staff);
  const members = await createMembers(t, opts.members, { orgCode: 'HB-HS-HSG-WM', prefix: `${opts.prefix}-m` });
  const campaign = await fx.campaign({
    budgetFen: 100_000_000,
    types: [
      { name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: opts.stock, perMemberLimit: 2 },
      { name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: opts.stock, perMemberLimit: 1 },
    ],
    perMemberLimit: 2,
  });
  const clerks: string[] = [];
  for (let i = 0; i < opts.merchants; i++) clerks.push((await fx.merchant()).token);
  const stationCodes: string[] = [];
  for (let i = 0; i < opts.stations; i++) stationCodes.push((await createStation(t, staff)).code);
  const households: number[] = [];
  for (let i = 0; i < opts.households; i++) households.push((await activeHousehold(t, staff, staffB)).id);
  return { staff, staffB, members, campaign, clerks, stationCodes, households };
}

/** One line of the invariant report. */
export interface Check { name: string; value: number | string; ok: boolean }

const n = async (q: (sql: string) => Promise<any>, sql: string) => Number(Object.values((await q(sql))[0] ?? { n: 0 })[0] ?? 0);

/**
 * The system-wide invariants, checked with plain SQL on the database after a fault:
 * stock, per-member limits, one active redemption per voucher, settlement coverage, payouts and
 * their batches, check-in dedupe, idempotency keys pointing at real results.
 * `query` runs SQL and returns rows (mysql2 connection or TypeORM DataSource).
 */
export async function checkInvariants(query: (sql: string) => Promise<any[]>): Promise<Check[]> {
  const checks: Check[] = [];
  const zero = async (name: string, sql: string) => {
    const v = await n(query, sql);
    checks.push({ name, value: v, ok: v === 0 });
  };
  const info = async (name: string, sql: string) => checks.push({ name, value: await n(query, sql), ok: true });
  await info('vouchers issued', 'SELECT COUNT(*) FROM vouchers');
  await info('redemptions (active)', "SELECT COUNT(*) FROM voucher_redemptions WHERE status = 'active'");
  await info('check-ins', 'SELECT COUNT(*) FROM station_checkins');
  await info('payouts', 'SELECT COUNT(*) FROM aid_payouts');
  await zero('voucher types over-issued (claimed > quantity)', 'SELECT COUNT(*) FROM voucher_types WHERE claimed > quantity');
  await zero('voucher types whose claimed ≠ vouchers issued', 'SELECT COUNT(*) FROM voucher_types t WHERE t.claimed <> (SELECT COUNT(*) FROM vouchers v WHERE v.voucherTypeId = t.id)');
  await zero('members above a type limit', 'SELECT COUNT(*) FROM (SELECT v.memberId, v.voucherTypeId FROM vouchers v JOIN voucher_types t ON t.id = v.voucherTypeId GROUP BY v.memberId, v.voucherTypeId, t.perMemberLimit HAVING COUNT(*) > t.perMemberLimit) x');
  await zero('members above a campaign limit', 'SELECT COUNT(*) FROM (SELECT v.memberId, v.campaignId FROM vouchers v JOIN voucher_campaigns c ON c.id = v.campaignId GROUP BY v.memberId, v.campaignId, c.perMemberLimit HAVING COUNT(*) > c.perMemberLimit) x');
  await zero('vouchers with more than one active redemption', "SELECT COUNT(*) FROM (SELECT voucherId FROM voucher_redemptions WHERE status = 'active' GROUP BY voucherId HAVING COUNT(*) > 1) x");
  await zero('redeemed vouchers not in exactly one settlement line (active redemption)', "SELECT COUNT(*) FROM vouchers v WHERE v.status = 'redeemed' AND (SELECT COUNT(*) FROM voucher_redemptions r WHERE r.voucherId = v.id AND r.status = 'active') <> 1");
  await zero('active redemptions of a voucher that is not redeemed', "SELECT COUNT(*) FROM voucher_redemptions r JOIN vouchers v ON v.id = r.voucherId WHERE r.status = 'active' AND v.status <> 'redeemed'");
  await zero('idempotency keys without their voucher', "SELECT COUNT(*) FROM idempotency_keys k LEFT JOIN vouchers v ON v.id = k.resultId WHERE k.scope = 'claim' AND v.id IS NULL");
  await zero('idempotency keys without their redemption', "SELECT COUNT(*) FROM idempotency_keys k LEFT JOIN voucher_redemptions r ON r.id = k.resultId WHERE k.scope = 'redeem' AND r.id IS NULL");
  await zero('payouts without their batch', 'SELECT COUNT(*) FROM aid_payouts p LEFT JOIN aid_payout_batches b ON b.id = p.batchId WHERE b.id IS NULL');
  await zero('one-off batches without their payout', "SELECT COUNT(*) FROM aid_payout_batches b WHERE b.kind = 'one_off' AND NOT EXISTS (SELECT 1 FROM aid_payouts p WHERE p.batchId = b.id)");
  await zero('approved batches with a pending payout', "SELECT COUNT(*) FROM aid_payouts p JOIN aid_payout_batches b ON b.id = p.batchId WHERE b.status = 'approved' AND p.status = 'pending'");
  await zero('duplicate payouts (household, type, period)', 'SELECT COUNT(*) FROM (SELECT householdId FROM aid_payouts GROUP BY householdId, aidType, period HAVING COUNT(*) > 1) x');
  await zero('check-ins counted twice within 30 min (member, station)', 'SELECT COUNT(*) FROM (SELECT memberId, stationId FROM station_checkins GROUP BY memberId, stationId HAVING COUNT(*) > 1) x');
  await zero('check-in guards pointing at no check-in', 'SELECT COUNT(*) FROM station_checkin_guards g LEFT JOIN station_checkins c ON c.id = g.lastCheckInId WHERE g.lastCheckInId IS NOT NULL AND c.id IS NULL');
  return checks;
}

/** Runs the reconciliation command of the compiled server (`commands/reconcile.js`) against a database. */
export function runReconcileCommand(env: Record<string, string>): Promise<{ code: number; report: any; stderr: string }> {
  const script = join(dirname(SERVER_MAIN), 'modules', 'vouchers', 'commands', 'reconcile.js');
  return new Promise((ok) => {
    const child = spawn(process.execPath, [script], {
      env: { PATH: process.env.PATH ?? '', ...(process.env.NODE_PATH ? { NODE_PATH: process.env.NODE_PATH } : {}), NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      let report: any = null;
      try { report = JSON.parse(out.slice(out.indexOf('{'))); } catch { /* printed below */ }
      ok({ code: code ?? -1, report, stderr: err });
    });
  });
}

/** Prints the invariant report and returns the failing lines. */
export function printChecks(title: string, checks: Check[]): Check[] {
  const lines = checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.value}`);
  process.stdout.write(`${title}\n${lines.join('\n')}\n`);
  return checks.filter((c) => !c.ok);
}

export { idemKey };

/** Tally of answers by status code and error code, e.g. `{ "201": 40, "409 SOLD_OUT": 12, "503 DB_UNAVAILABLE": 30 }`. */
export function tallyAnswers(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const k = a.status === 0 ? `no answer (${a.error?.slice(0, 40)})` : a.status < 300 ? String(a.status) : `${a.status} ${a.body?.code ?? ''}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
