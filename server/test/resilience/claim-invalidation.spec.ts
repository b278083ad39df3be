import { startApp, TestApp } from '../support/app';
import { createMysqlDatabase, dropMysqlDatabase } from '../support/db';
import { startServerProcess, ServerProcess } from '../support/process';
import { call, idemKey } from '../support/resilience';
import { voucherFixtures } from '../support/vouchers-fixtures';

/**
 * Two `node dist/main.js` processes on one MariaDB database with REDIS_URL set: the claim path holds campaign
 * rules, sold-out flags and token claims in each process's memory (issue 12); a change made through process B
 * must be honoured by process A within 1 s while claims keep arriving at A (Redis pub/sub; the 1 s TTL and the
 * token-claims poll are the fallback). Times are behaviour bounds from the issue, not speeds.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('claim caches across two processes (Redis pub/sub)', () => {
  let t: TestApp & { databaseUrl: string; keyFile: string };
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    const databaseUrl = await createMysqlDatabase(`union_claiminv_${process.pid}`);
    t = await startApp({}, { databaseUrl, keyFile: `/tmp/union_claiminv_${process.pid}-keys.json` });
    staff = await t.login('ci-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
    const env = { DATABASE_URL: t.databaseUrl, KEY_FILE: t.keyFile, REDIS_URL: 'redis://127.0.0.1:6379' };
    [a, b] = await Promise.all([startServerProcess('claim-inv-a', env), startServerProcess('claim-inv-b', env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await t.close();
    await dropMysqlDatabase(t.databaseUrl);
  });

  const claim = (base: string, token: string, campaignId: number, typeId: number) =>
    call(base, 'POST', `/api/vouchers/campaigns/${campaignId}/claims`, token, { voucherTypeId: typeId }, idemKey());

  /** Claims at process A from `tokens` in a loop until stopped, each answer stamped with when its request started. */
  const rush = (tokens: string[], campaignId: number, typeId: number) => {
    let stop = false;
    const answers: Array<{ startedAt: number; label: string }> = [];
    const done = Promise.all(tokens.map(async (token) => {
      while (!stop) {
        const startedAt = Date.now();
        const res = await claim(a.url, token, campaignId, typeId);
        answers.push({ startedAt, label: res.status === 201 ? 'issued' : `${res.status} ${res.body?.code}` });
        await sleep(20);
      }
    }));
    return { answers, finish: async () => { stop = true; await done; } };
  };

  it('a close made through process B mid-rush is honoured by process A within 1 s', async () => {
    const c = await fx.campaign({ types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 100, perMemberLimit: 1 }], perMemberLimit: 1 });
    const tokens = [await fx.member(), await fx.member(), await fx.member(), await fx.member()];
    const r = rush(tokens, c.id, c.types[0].id);
    await sleep(800);
    const closed = await call(b.url, 'POST', `/api/vouchers/manage/campaigns/${c.id}/close`, staff);
    expect(closed.status).toBe(200);
    const at = Date.now();
    await sleep(1800);
    await r.finish();
    const after = r.answers.filter((x) => x.startedAt >= at + 1000);
    const tallyBefore = r.answers.filter((x) => x.startedAt < at).reduce<Record<string, number>>((m, x) => ({ ...m, [x.label]: (m[x.label] ?? 0) + 1 }), {});
    process.stdout.write(`close via B: A's answers before ${JSON.stringify(tallyBefore)}, first ENDED ${(r.answers.find((x) => x.label === '410 ENDED')?.startedAt ?? NaN) - at} ms after\n`);
    expect(r.answers.filter((x) => x.startedAt < at).some((x) => x.label === 'issued')).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((x) => x.label))).toEqual(new Set(['410 ENDED']));
  }, 60_000);

  it('a pause made through process B mid-rush is honoured by process A within 1 s, and a resume likewise (issue 15)', async () => {
    const c = await fx.campaign({ types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 1000, perMemberLimit: 100 }], perMemberLimit: 100 });
    const tokens = [await fx.member(), await fx.member(), await fx.member(), await fx.member()];
    const r = rush(tokens, c.id, c.types[0].id);
    await sleep(800);
    expect((await call(b.url, 'POST', `/api/vouchers/manage/campaigns/${c.id}/pause`, staff, {})).status).toBe(200);
    const pausedAt = Date.now();
    await sleep(1800);
    const resumeSentAt = Date.now(); // the resume takes effect before its answer arrives: "paused" ends when it is sent
    expect((await call(b.url, 'POST', `/api/vouchers/manage/campaigns/${c.id}/resume`, staff)).status).toBe(200);
    const resumedAt = Date.now();
    await sleep(1800);
    await r.finish();
    expect(r.answers.filter((x) => x.startedAt < pausedAt).some((x) => x.label === 'issued')).toBe(true);
    const whilePaused = r.answers.filter((x) => x.startedAt >= pausedAt + 1000 && x.startedAt < resumeSentAt);
    expect(whilePaused.length).toBeGreaterThan(0);
    expect(new Set(whilePaused.map((x) => x.label))).toEqual(new Set(['409 CAMPAIGN_PAUSED']));
    const afterResume = r.answers.filter((x) => x.startedAt >= resumedAt + 1000);
    expect(afterResume.length).toBeGreaterThan(0);
    expect(new Set(afterResume.map((x) => x.label))).toEqual(new Set(['issued']));
  }, 60_000);

  it('a top-up made through process B clears process A\'s sold-out flag within 1 s', async () => {
    const c = await fx.campaign({ types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 1, perMemberLimit: 1 }], perMemberLimit: 1 });
    const typeId = c.types[0].id;
    const [m1, m2, m3] = [await fx.member(), await fx.member(), await fx.member()];
    expect((await claim(a.url, m1, c.id, typeId)).status).toBe(201);
    expect((await claim(a.url, m2, c.id, typeId)).body.code).toBe('SOLD_OUT');
    const top = await call(b.url, 'POST', `/api/vouchers/manage/campaigns/${c.id}/types/${typeId}/stock`, staff, { quantity: 3 });
    expect(top.status).toBe(200);
    await sleep(1000);
    expect((await claim(a.url, m2, c.id, typeId)).status).toBe(201);
    expect((await claim(a.url, m3, c.id, typeId)).status).toBe(201);
    const rows = await t.db.query(`SELECT claimed, quantity FROM voucher_types WHERE id = ${typeId}`);
    expect([Number(rows[0].claimed), Number(rows[0].quantity)]).toEqual([3, 3]);
  }, 60_000);

  it('a role change made through process B revokes older tokens\' claims at process A within 1 s', async () => {
    const { token } = await fx.merchant();
    const redeem = () => call(a.url, 'POST', '/api/vouchers/redemptions', token, { redemptionCode: 'not-a-code', orderAmountFen: 10000 }, idemKey());
    expect((await redeem()).status).not.toBe(403);
    const sub = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: number }).sub;
    const [u] = await t.db.query(`SELECT devKey FROM users WHERE id = ${sub}`);
    const relog = await call(b.url, 'POST', '/api/auth/dev-login', null, { userKey: u.devKey, role: 'user' });
    expect(relog.status).toBe(200);
    await sleep(1000);
    const after = await redeem();
    expect(after.status).toBe(403);
    expect(after.body.code).toBe('FORBIDDEN');
  }, 60_000);
});
