import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { startApp } from '../support/app';
import { startPrivateMariaDb } from '../support/private-mariadb';
import { startServerProcess, ServerProcess } from '../support/process';
import { Answer, buildWorld, call, checkInvariants, idemKey, isEnvelope, printChecks, runReconcileCommand, tallyAnswers } from '../support/resilience';
import { startRoundRobinProxy } from '../support/round-robin-proxy';

/**
 * Database restart under load. A PRIVATE MariaDB (never the shared one on 3306), two API processes behind a
 * round-robin proxy, a steady stream of claims, redemptions, check-ins and one-off payouts (create + approve)
 * from 10 clients. MariaDB is stopped (SIGTERM) for ~5 s and started again on the same data directory.
 * Proves: while it is down every answer is 503 with the error envelope, fast; no 500, no lost connection to
 * the API; the API recovers by itself within seconds; clients retry unanswered/503 requests with the same
 * Idempotency-Key and each ends up done exactly once; afterwards every invariant holds and reconciliation is clean.
 */
const DOWN_MS = 5_000;
const WORKERS = 10;

describe('database restart under load', () => {
  it('answers 503 while down, recovers by itself, loses and doubles nothing', async () => {
    const db = await startPrivateMariaDb('restart');
    const procs: ServerProcess[] = [];
    let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>> | null = null;
    try {
      const databaseUrl = await db.createDatabase('union_restart');
      const keyFile = join(mkdtempSync(join(tmpdir(), 'union-restart-')), 'keys.json');
      // Schema, union tree and the world through the in-process app, then it steps aside.
      const t = await startApp({}, { databaseUrl, keyFile });
      const world = await buildWorld(t, { members: 80, stock: 90, merchants: 3, stations: 4, households: 30, prefix: 'rst' });
      await t.close();

      const env = { DATABASE_URL: databaseUrl, KEY_FILE: keyFile, REDIS_URL: 'redis://127.0.0.1:6379' };
      procs.push(...(await Promise.all([startServerProcess('db-restart-1', env), startServerProcess('db-restart-2', env)])));
      proxy = await startRoundRobinProxy(procs.map((p) => p.url));
      const base = proxy.url;

      // ---- the client side: every request, and the ledger of what each client wants done ----
      const answers: Array<Answer & { op: string }> = [];
      const rec = (op: string, a: Answer) => { answers.push({ ...a, op }); return a; };
      const retryable = (a: Answer) => a.status === 0 || a.status === 503;
      // claims: one outstanding key per member until a definitive answer (retries reuse the key)
      const claimKeys = new Map<string, { member: number; typeId: number; final?: Answer }>();
      const pendingClaim = new Map<number, string>();
      const owned: Array<{ voucherId: number; token: string }> = [];
      const redeemed = new Map<number, number>(); // voucherId → redemption id
      const pendingRedeem: Array<{ voucherId: number; token: string; code: string; key: string; clerk: string }> = [];
      const checkins: Answer[] = [];
      let payoutNext = 0;
      const payoutDone = new Set<number>();
      const pendingApprove: number[] = [];
      let stopped = false;
      let memberNext = 0;

      const claim = async () => {
        const m = memberNext++ % world.members.length;
        let key = pendingClaim.get(m);
        if (!key) {
          key = idemKey();
          claimKeys.set(key, { member: m, typeId: world.campaign.types[Math.random() < 0.5 ? 0 : 1].id });
          pendingClaim.set(m, key);
        }
        const entry = claimKeys.get(key)!;
        const a = rec('claim', await call(base, 'POST', `/api/vouchers/campaigns/${world.campaign.id}/claims`, world.members[m].token, { voucherTypeId: entry.typeId }, key));
        if (retryable(a)) return;
        entry.final = a;
        pendingClaim.delete(m);
        if (a.status === 201) owned.push({ voucherId: a.body.id, token: world.members[m].token });
      };
      const redeem = async () => {
        let job = pendingRedeem.shift();
        if (!job) {
          const v = owned.shift();
          if (!v) return;
          const c = rec('code', await call(base, 'GET', `/api/vouchers/my/vouchers/${v.voucherId}/code`, v.token));
          if (c.status !== 200) { owned.push(v); return; }
          job = { ...v, code: c.body.code, key: idemKey(), clerk: world.clerks[v.voucherId % world.clerks.length] };
        }
        const a = rec('redeem', await call(base, 'POST', '/api/vouchers/redemptions', job.clerk, { redemptionCode: job.code, orderAmountFen: 20000 }, job.key));
        if (retryable(a)) { pendingRedeem.push(job); return; }
        if (a.status === 201) {
          if (redeemed.has(job.voucherId)) throw new Error(`voucher ${job.voucherId} redeemed twice for the client`);
          redeemed.set(job.voucherId, a.body.id);
        }
      };
      const checkin = async () => {
        const m = world.members[Math.floor(Math.random() * world.members.length)];
        const a = rec('checkin', await call(base, 'POST', '/api/stations/checkins', m.token, { code: world.stationCodes[Math.floor(Math.random() * world.stationCodes.length)] }));
        if (!retryable(a)) checkins.push(a);
      };
      const payout = async () => {
        const approveId = pendingApprove.shift();
        if (approveId) {
          const a = rec('approve', await call(base, 'POST', `/api/aid/payout-batches/${approveId}/approve`, world.staffB));
          if (retryable(a)) pendingApprove.push(approveId);
          return;
        }
        const i = payoutNext++ % world.households.length;
        if (payoutDone.has(i)) return;
        const a = rec('one-off', await call(base, 'POST', '/api/aid/payouts/one-off', world.staff, { householdId: world.households[i], aidType: 'medical', amountFen: 50_000, period: '2025-06' }));
        if (retryable(a)) return; // retried on the next round; 409 PAYOUT_EXISTS then says it had happened
        payoutDone.add(i);
        if (a.status === 201) pendingApprove.push(a.body.id);
      };
      const ops: Array<[number, () => Promise<void>]> = [[0.35, claim], [0.6, redeem], [0.85, checkin], [1, payout]];
      const worker = async () => {
        while (!stopped) {
          const r = Math.random();
          await ops.find(([p]) => r < p)![1]();
          await new Promise((ok) => setTimeout(ok, 20));
        }
      };

      // ---- the fault ----
      const t0 = Date.now();
      const workers = Array.from({ length: WORKERS }, worker);
      await new Promise((r) => setTimeout(r, 5_000));
      const stopAsked = Date.now();
      await db.stop();
      const downFrom = Date.now();
      await new Promise((r) => setTimeout(r, DOWN_MS));
      const downTo = Date.now();
      await db.start();
      const upAt = Date.now();
      await new Promise((r) => setTimeout(r, 10_000));
      stopped = true;
      await Promise.all(workers);
      const streamEnd = Date.now();

      // ---- clients finish what is still open, with the same keys ----
      for (let round = 0; round < 20 && (pendingClaim.size || pendingRedeem.length || pendingApprove.length); round++) {
        for (const [m, key] of [...pendingClaim]) {
          const entry = claimKeys.get(key)!;
          const a = rec('claim-retry', await call(base, 'POST', `/api/vouchers/campaigns/${world.campaign.id}/claims`, world.members[m].token, { voucherTypeId: entry.typeId }, key));
          if (!retryable(a)) { entry.final = a; pendingClaim.delete(m); if (a.status === 201) owned.push({ voucherId: a.body.id, token: world.members[m].token }); }
        }
        for (let k = pendingRedeem.length; k > 0; k--) await redeem();
        for (let k = pendingApprove.length; k > 0; k--) await payout();
      }

      // ---- what the clients saw ----
      const during = answers.filter((a) => a.at >= downFrom && a.at + a.ms <= downTo);
      const startedDuring = answers.filter((a) => a.at >= downFrom && a.at < downTo);
      const afterUp = answers.filter((a) => a.at >= upAt);
      const firstOk = afterUp.find((a) => a.status < 500 && a.status > 0);
      const last503 = [...answers].reverse().find((a) => a.status === 503);
      const recoveryMs = firstOk ? firstOk.at + firstOk.ms - upAt : Infinity;
      const tail = answers.filter((a) => a.at >= streamEnd - 3_000 && a.at < streamEnd);
      const maxMsDuring = Math.max(0, ...startedDuring.map((a) => a.ms));
      const claimsFinal = [...claimKeys.values()].filter((e) => e.final);
      const claimed201 = claimsFinal.filter((e) => e.final!.status === 201);
      process.stdout.write(
        `database restart: ${answers.length} requests from ${WORKERS} clients over ${((streamEnd - t0) / 1000).toFixed(1)} s through ${procs.length} processes (proxy hits ${proxy.hits.join('/')})\n` +
        `  MariaDB stop took ${downFrom - stopAsked} ms, down ${downTo - downFrom} ms, start took ${upAt - downTo} ms\n` +
        `  all answers: ${JSON.stringify(tallyAnswers(answers))}\n` +
        `  answered while down (${during.length}): ${JSON.stringify(tallyAnswers(during))}; slowest request started while down ${maxMsDuring} ms\n` +
        `  first success ${recoveryMs} ms after MariaDB was back; last 503 sent ${last503 ? last503.at - upAt : '-'} ms relative to it; last 3 s of the stream: ${JSON.stringify(tallyAnswers(tail))}\n` +
        `  client ledger: ${claimKeys.size} claim keys → ${claimed201.length} vouchers, ${claimsFinal.length - claimed201.length} refused (${JSON.stringify(tallyAnswers(claimsFinal.map((e) => e.final!)))}), ${pendingClaim.size} still open; ` +
        `${redeemed.size} redemptions; ${checkins.length} check-ins (${checkins.filter((a) => a.status === 201).length} new); ${payoutDone.size} one-off payouts asked\n`,
      );

      // ---- invariants on the database ----
      const conn = await db.connect('union_restart');
      const q = async (sql: string) => (await conn.query(sql))[0] as any[];
      const checks = await checkInvariants(q);
      const vouchersOfStream = Number((await q(`SELECT COUNT(*) AS n FROM vouchers WHERE campaignId = ${world.campaign.id}`))[0].n);
      const redemptionIds = new Set((await q("SELECT id FROM voucher_redemptions WHERE status = 'active'")).map((r) => Number(r.id)));
      checks.push({ name: 'vouchers in the database − vouchers the clients were given (each key exactly once)', value: vouchersOfStream - claimed201.length, ok: vouchersOfStream === claimed201.length });
      checks.push({ name: 'distinct voucher ids given to clients', value: new Set(claimed201.map((e) => e.final!.body.id)).size, ok: new Set(claimed201.map((e) => e.final!.body.id)).size === claimed201.length });
      checks.push({ name: 'redemptions the clients saw that are not in the ledger', value: [...redeemed.values()].filter((id) => !redemptionIds.has(id)).length, ok: [...redeemed.values()].every((id) => redemptionIds.has(id)) });
      checks.push({ name: 'redemptions in the ledger no client saw', value: redemptionIds.size - redeemed.size, ok: redemptionIds.size === redeemed.size });
      await conn.end();
      const recon = await call(base, 'GET', '/api/vouchers/reconciliation', world.staff);
      checks.push({ name: 'reconciliation API differences', value: recon.body?.differences?.length ?? `HTTP ${recon.status}`, ok: recon.status === 200 && recon.body.ok === true });
      const cmd = await runReconcileCommand({ DATABASE_URL: databaseUrl, KEY_FILE: keyFile });
      checks.push({ name: 'reconcile command exit code', value: cmd.code, ok: cmd.code === 0 });
      const failed = printChecks('database restart: invariants afterwards', checks);

      expect(failed).toEqual([]);
      expect(procs.every((p) => p.child.exitCode === null && p.child.signalCode === null)).toBe(true);
      expect(answers.filter((a) => a.status === 0 || a.status === 500 || a.status === 502)).toEqual([]);
      expect(during.length).toBeGreaterThan(20);
      expect(during.filter((a) => a.status !== 503 || !isEnvelope(a) || a.body.code !== 'DB_UNAVAILABLE')).toEqual([]);
      expect(maxMsDuring).toBeLessThan(5_000);
      expect(recoveryMs).toBeLessThan(10_000);
      expect(tail.length).toBeGreaterThan(10);
      expect(tail.filter((a) => a.status >= 500)).toEqual([]);
      expect(pendingClaim.size + pendingRedeem.length + pendingApprove.length).toBe(0);
      expect(claimed201.length).toBeGreaterThan(20);
      expect(redeemed.size).toBeGreaterThan(5);
    } finally {
      await proxy?.close();
      await Promise.all(procs.map((p) => p.stop()));
      await db.destroy();
    }
  }, 300_000);
});
