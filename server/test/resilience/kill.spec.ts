import { createMysqlDatabase, dropMysqlDatabase } from '../support/db';
import { startApp } from '../support/app';
import { startServerProcess, ServerProcess } from '../support/process';
import { Answer, buildWorld, call, checkInvariants, idemKey, printChecks, tallyAnswers } from '../support/resilience';

/**
 * A server process is SIGKILLed during a burst of claims and redemptions that all carry Idempotency-Keys.
 * Some requests never get an answer. A new process is started on the same database; every client then
 * retries with the same key. Proves: an answered request's retry gets the original result (same voucher /
 * redemption id); an unanswered one happened exactly once or not at all (checked in the database before the
 * retry, and by the retry's answer after it); all the invariants hold.
 */
describe('process killed mid-request', () => {
  it('SIGKILL during a burst: retries with the same key get the original result, nothing doubled', async () => {
    const databaseUrl = await createMysqlDatabase(`union_kill_${process.pid}`);
    const t = await startApp({}, { databaseUrl, keyFile: `/tmp/union_kill_${process.pid}-keys.json` });
    const procs: ServerProcess[] = [];
    try {
      const world = await buildWorld(t, { members: 200, stock: 1000, merchants: 2, stations: 1, households: 0, prefix: `kill${process.pid}` });
      const [typeA, typeB] = world.campaign.types.map((x) => x.id);
      // vouchers (type B) to redeem during the burst, claimed beforehand through the in-process app
      const toRedeem: Array<{ voucherId: number; code: string; clerk: string; key: string }> = [];
      for (const m of world.members.slice(0, 80)) {
        const v = await call(t.url, 'POST', `/api/vouchers/campaigns/${world.campaign.id}/claims`, m.token, { voucherTypeId: typeB }, idemKey());
        const c = await call(t.url, 'GET', `/api/vouchers/my/vouchers/${v.body.id}/code`, m.token);
        toRedeem.push({ voucherId: v.body.id, code: c.body.code, clerk: world.clerks[toRedeem.length % world.clerks.length], key: idemKey() });
      }
      const env = { DATABASE_URL: databaseUrl, KEY_FILE: t.keyFile, REDIS_URL: 'redis://127.0.0.1:6379' };
      const victim = await startServerProcess('kill-victim', env);
      procs.push(victim);

      // ---- the burst, and the kill in the middle of it ----
      const claims = world.members.map((m, i) => ({ i, token: m.token, key: idemKey() }));
      let answered = 0;
      let redeemsAnswered = 0;
      const counted = <T extends Answer>(p: Promise<T>, redemption = false) => p.then((a) => { if (a.status) { answered++; if (redemption) redeemsAnswered++; } return a; });
      // interleaved and spaced 4 ms apart: 5 claims, 2 redemptions, 5 claims, … so the kill lands among both kinds
      const claimP: Array<Promise<Answer>> = [];
      const redeemP: Array<Promise<Answer>> = [];
      while (claimP.length < claims.length || redeemP.length < toRedeem.length) {
        for (let k = 0; k < 5 && claimP.length < claims.length; k++) {
          const c = claims[claimP.length];
          await new Promise((ok) => setTimeout(ok, 4));
          claimP.push(counted(call(victim.url, 'POST', `/api/vouchers/campaigns/${world.campaign.id}/claims`, c.token, { voucherTypeId: typeA }, c.key, 30_000)));
        }
        for (let k = 0; k < 2 && redeemP.length < toRedeem.length; k++) {
          const r = toRedeem[redeemP.length];
          await new Promise((ok) => setTimeout(ok, 4)); // a steady arrival, not one wall of requests
          redeemP.push(counted(call(victim.url, 'POST', '/api/vouchers/redemptions', r.clerk, { redemptionCode: r.code, orderAmountFen: 20000 }, r.key, 30_000), true));
        }
      }
      const total = claimP.length + redeemP.length;
      // kill once both kinds have answers coming back, well before the burst is through
      while ((redeemsAnswered < 10 || answered < total * 0.3) && answered < total * 0.7) await new Promise((r) => setTimeout(r, 2));
      victim.child.kill('SIGKILL');
      const killedAt = answered;
      const [claimFirst, redeemFirst] = await Promise.all([Promise.all(claimP), Promise.all(redeemP)]);
      const exit = await victim.exited;

      // ---- before any retry: what the database holds for the unanswered requests ----
      const unansweredClaims = claims.filter((_, i) => claimFirst[i].status === 0);
      const unansweredRedeems = toRedeem.filter((_, i) => redeemFirst[i].status === 0);
      const keyRow = async (userKeyScope: string, key: string) => (await t.db.query(`SELECT resultId FROM idempotency_keys WHERE scope = '${userKeyScope}' AND \`key\` = '${key}'`))[0]?.resultId as number | undefined;
      const happenedClaims = new Map<string, number>();
      for (const c of unansweredClaims) {
        const id = await keyRow('claim', c.key);
        const vouchers = Number((await t.db.query(`SELECT COUNT(*) AS n FROM vouchers WHERE voucherTypeId = ${typeA} AND memberId = ${world.members[c.i].memberId}`))[0].n);
        expect(vouchers).toBe(id ? 1 : 0); // exactly once or not at all
        if (id) happenedClaims.set(c.key, Number(id));
      }
      const happenedRedeems = new Map<string, number>();
      for (const r of unansweredRedeems) {
        const id = await keyRow('redeem', r.key);
        const active = Number((await t.db.query(`SELECT COUNT(*) AS n FROM voucher_redemptions WHERE voucherId = ${r.voucherId} AND status = 'active'`))[0].n);
        expect(active).toBe(id ? 1 : 0);
        if (id) happenedRedeems.set(r.key, Number(id));
      }

      // ---- restart and retry everything with the same keys ----
      const revived = await startServerProcess('kill-revived', env);
      procs.push(revived);
      const claimRetry = await Promise.all(claims.map((c) => call(revived.url, 'POST', `/api/vouchers/campaigns/${world.campaign.id}/claims`, c.token, { voucherTypeId: typeA }, c.key)));
      const redeemRetry = await Promise.all(toRedeem.map((r) => call(revived.url, 'POST', '/api/vouchers/redemptions', r.clerk, { redemptionCode: r.code, orderAmountFen: 20000 }, r.key)));

      const sameClaim = claims.filter((_, i) => claimFirst[i].status === 201 && claimRetry[i].status === 201 && claimRetry[i].body.id === claimFirst[i].body.id).length;
      const sameRedeem = toRedeem.filter((_, i) => redeemFirst[i].status === 201 && redeemRetry[i].status === 201 && redeemRetry[i].body.id === redeemFirst[i].body.id).length;
      const answeredClaims201 = claimFirst.filter((a) => a.status === 201).length;
      const answeredRedeems201 = redeemFirst.filter((a) => a.status === 201).length;
      const replayedHappened = [...happenedClaims].filter(([key, id]) => claimRetry[claims.findIndex((c) => c.key === key)].body.id === id).length
        + [...happenedRedeems].filter(([key, id]) => redeemRetry[toRedeem.findIndex((r) => r.key === key)].body.id === id).length;
      process.stdout.write(
        `process kill: ${total} requests (${claims.length} claims, ${toRedeem.length} redemptions) with Idempotency-Keys; SIGKILL after ${killedAt} answers (exit ${exit})\n` +
        `  first answers: claims ${JSON.stringify(tallyAnswers(claimFirst))}, redemptions ${JSON.stringify(tallyAnswers(redeemFirst))}\n` +
        `  never answered: ${unansweredClaims.length} claims (${happenedClaims.size} had committed, ${unansweredClaims.length - happenedClaims.size} had not), ` +
        `${unansweredRedeems.length} redemptions (${happenedRedeems.size} had committed)\n` +
        `  retries with the same key on a new process: claims ${JSON.stringify(tallyAnswers(claimRetry))}, redemptions ${JSON.stringify(tallyAnswers(redeemRetry))}\n` +
        `  answered 201 and retried → same id: claims ${sameClaim}/${answeredClaims201}, redemptions ${sameRedeem}/${answeredRedeems201}; ` +
        `committed-but-unanswered retried → the committed id: ${replayedHappened}/${happenedClaims.size + happenedRedeems.size}\n`,
      );

      const checks = await checkInvariants((sql) => t.db.query(sql));
      const perMember = Number((await t.db.query(`SELECT COUNT(*) AS n FROM (SELECT memberId FROM vouchers WHERE voucherTypeId = ${typeA} GROUP BY memberId HAVING COUNT(*) > 1) x`))[0].n);
      checks.push({ name: 'members with two vouchers from one burst key', value: perMember, ok: perMember === 0 });
      const issuedA = Number((await t.db.query(`SELECT COUNT(*) AS n FROM vouchers WHERE voucherTypeId = ${typeA}`))[0].n);
      checks.push({ name: 'burst vouchers in the database − claims answered 201 after retry', value: issuedA - claimRetry.filter((a) => a.status === 201).length, ok: issuedA === claimRetry.filter((a) => a.status === 201).length });
      const recon = await call(revived.url, 'GET', '/api/vouchers/reconciliation', world.staff);
      checks.push({ name: 'reconciliation differences', value: recon.body?.differences?.length ?? `HTTP ${recon.status}`, ok: recon.body?.ok === true });
      const failed = printChecks('process kill: invariants afterwards', checks);

      expect(exit).toBe('SIGKILL');
      expect(unansweredClaims.length + unansweredRedeems.length).toBeGreaterThan(0);
      expect(failed).toEqual([]);
      expect(sameClaim).toBe(answeredClaims201);
      expect(sameRedeem).toBe(answeredRedeems201);
      expect(replayedHappened).toBe(happenedClaims.size + happenedRedeems.size);
      expect(claimRetry.every((a) => a.status === 201)).toBe(true); // stock and limits allow every claim: each ends done exactly once
      expect(redeemRetry.every((a) => a.status === 201)).toBe(true);
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
      await t.close();
      await dropMysqlDatabase(databaseUrl);
    }
  }, 300_000);
});
