import { startApp, TestApp } from '../support/app';
import { createMysqlDatabase, dropMysqlDatabase } from '../support/db';
import { startServerProcess, ServerProcess } from '../support/process';
import { call, checkInvariants, printChecks, tallyAnswers } from '../support/resilience';
import { startRoundRobinProxy } from '../support/round-robin-proxy';
import { createStation } from '../support/stations';
import { createMembers } from '../support/vouchers-factory';
import { idemKey, voucherFixtures } from '../support/vouchers-fixtures';

/**
 * The vouchers races and the check-in dedupe with 2 and 4 `node dist/main.js` processes on one MariaDB
 * database, behind a round-robin HTTP proxy (each request to the next process), rate-limit counters in Redis.
 * Nothing is shared in process memory: stock, limits, single redemption and the 30-minute check-in rule
 * hold because the database enforces them.
 */
const ORG = 'HB-HS-HSG-WM';
const tally = (rs: Array<{ status: number; body: any }>) =>
  rs.reduce<Record<string, number>>((acc, r) => {
    const k = r.status === 201 ? 'ok' : r.status === 200 ? 'ok200' : String(r.body?.code ?? r.status);
    acc[k] = (acc[k] ?? 0) + 1;
    return acc;
  }, {});

describe('several processes, one database', () => {
  let t: TestApp & { databaseUrl: string; keyFile: string };
  let staff: string;
  let fx: ReturnType<typeof voucherFixtures>;
  let seq = 0;
  const scalar = async (sql: string) => Number(Object.values((await t.db.query(sql))[0])[0]);

  beforeAll(async () => {
    const databaseUrl = await createMysqlDatabase(`union_multi_${process.pid}`);
    t = await startApp({}, { databaseUrl, keyFile: `/tmp/union_multi_${process.pid}-keys.json` });
    staff = await t.login('mp-staff', 'union_staff', 'HB-HS');
    fx = voucherFixtures(t, staff);
  }, 120_000);
  afterAll(async () => {
    const checks = await checkInvariants((sql) => t.db.query(sql));
    const failed = printChecks('multi-process: invariants after all races', checks);
    await t.close();
    await dropMysqlDatabase(t.databaseUrl);
    expect(failed).toEqual([]);
  });

  for (const n of [2, 4]) {
    describe(`${n} processes behind a round-robin proxy`, () => {
      const procs: ServerProcess[] = [];
      let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
      let base: string;
      const post = (path: string, token: string, body: object, key?: string) => call(base, 'POST', path, token, body, key, 60_000);

      beforeAll(async () => {
        const env = { DATABASE_URL: t.databaseUrl, KEY_FILE: t.keyFile, REDIS_URL: 'redis://127.0.0.1:6379' };
        procs.push(...(await Promise.all(Array.from({ length: n }, (_, i) => startServerProcess(`multi-${n}-${i}`, env)))));
        proxy = await startRoundRobinProxy(procs.map((p) => p.url));
        base = proxy.url;
      }, 120_000);
      afterAll(async () => {
        process.stdout.write(`multi-process (${n}): requests per process ${proxy.hits.join(' / ')}\n`);
        await proxy.close();
        await Promise.all(procs.map((p) => p.stop()));
      });

      it('300 parallel claims for a stock of 50 → exactly 50 issued', async () => {
        const members = await createMembers(t, 300, { orgCode: ORG, prefix: `mp${n}-rush-${++seq}` });
        const c = await fx.campaign({ types: [{ name: '满100减20', faceValueFen: 2000, minSpendFen: 10000, quantity: 50, perMemberLimit: 1 }], perMemberLimit: 1 });
        const typeId = c.types[0].id;
        const results = await Promise.all(members.map((m) => post(`/api/vouchers/campaigns/${c.id}/claims`, m.token, { voucherTypeId: typeId }, idemKey())));
        process.stdout.write(`multi-process (${n}): stock 50, 300 claims → ${JSON.stringify(tally(results))}\n`);
        expect(tally(results)).toEqual({ ok: 50, SOLD_OUT: 250 });
        expect(await scalar(`SELECT COUNT(*) FROM vouchers WHERE voucherTypeId = ${typeId}`)).toBe(50);
        expect(await scalar(`SELECT claimed FROM voucher_types WHERE id = ${typeId}`)).toBe(50);
        expect(await scalar(`SELECT COUNT(DISTINCT memberId) FROM vouchers WHERE voucherTypeId = ${typeId}`)).toBe(50);
      }, 180_000);

      it('one member: 50 parallel claims with a limit of 2 → 2; campaign limit 3 across types; one key 20 times → one voucher', async () => {
        const [m, m2] = await createMembers(t, 2, { orgCode: ORG, prefix: `mp${n}-greedy-${++seq}` });
        const c = await fx.campaign({
          types: [
            { name: 'A', faceValueFen: 500, minSpendFen: 0, quantity: 100, perMemberLimit: 2 },
            { name: 'B', faceValueFen: 500, minSpendFen: 0, quantity: 100, perMemberLimit: 2 },
          ],
          perMemberLimit: 3,
        });
        const [a, b] = c.types;
        const onA = await Promise.all(Array.from({ length: 50 }, () => post(`/api/vouchers/campaigns/${c.id}/claims`, m.token, { voucherTypeId: a.id }, idemKey())));
        expect(tally(onA)).toEqual({ ok: 2, LIMIT_REACHED: 48 });
        const mixed = await Promise.all(Array.from({ length: 50 }, (_, i) => post(`/api/vouchers/campaigns/${c.id}/claims`, m.token, { voucherTypeId: i % 2 ? a.id : b.id }, idemKey())));
        expect(tally(mixed)).toEqual({ ok: 1, LIMIT_REACHED: 49 });
        expect(await scalar(`SELECT COUNT(*) FROM vouchers WHERE memberId = ${m.memberId} AND campaignId = ${c.id}`)).toBe(3);
        const key = idemKey();
        const retries = await Promise.all(Array.from({ length: 20 }, () => post(`/api/vouchers/campaigns/${c.id}/claims`, m2.token, { voucherTypeId: a.id }, key)));
        process.stdout.write(`multi-process (${n}): limit 2 → ${JSON.stringify(tally(onA))}; campaign limit 3 → ${JSON.stringify(tally(mixed))}; same key ×20 → ${new Set(retries.map((r) => `${r.status}:${r.body.id}`)).size} distinct answer\n`);
        expect(new Set(retries.map((r) => `${r.status}:${r.body.id}`)).size).toBe(1);
        expect(retries[0].status).toBe(201);
        expect(await scalar(`SELECT COUNT(*) FROM vouchers WHERE memberId = ${m2.memberId}`)).toBe(1);
      }, 180_000);

      it('20 parallel redemptions of one voucher by 4 clerks → exactly one', async () => {
        const member = await fx.member();
        const { token: owner } = await fx.merchant();
        const clerks = [owner];
        for (let i = 0; i < 3; i++) {
          const invite = await post('/api/vouchers/merchants/clerk-invites', owner, {});
          const clerk = await t.login(`mp${n}-clerk-${seq}-${i}-${Date.now()}`, 'merchant_clerk', 'HB-HS');
          expect((await post('/api/vouchers/merchants/clerks', clerk, { inviteCode: invite.body.code })).status).toBe(201);
          clerks.push(clerk);
        }
        const c = await fx.campaign();
        const voucher = (await post(`/api/vouchers/campaigns/${c.id}/claims`, member, { voucherTypeId: c.types[0].id }, idemKey())).body;
        const code = (await call(base, 'GET', `/api/vouchers/my/vouchers/${voucher.id}/code`, member)).body.code;
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post('/api/vouchers/redemptions', clerks[i % clerks.length], { redemptionCode: code, orderAmountFen: 15000 }, idemKey())));
        process.stdout.write(`multi-process (${n}): 20 redemptions of one voucher → ${JSON.stringify(tally(results))}\n`);
        expect(tally(results)).toEqual({ ok: 1, ALREADY_REDEEMED: 19 });
        expect(await scalar(`SELECT COUNT(*) FROM voucher_redemptions WHERE voucherId = ${voucher.id}`)).toBe(1);
      }, 180_000);

      it('check-in dedupe: 30 parallel check-ins of one member, and 5 each of 20 members → one counted each', async () => {
        const station = await createStation(t, staff);
        const members = await createMembers(t, 21, { orgCode: ORG, prefix: `mp${n}-visit-${++seq}` });
        const one = await Promise.all(Array.from({ length: 30 }, () => post('/api/stations/checkins', members[0].token, { code: station.code })));
        const many = await Promise.all(members.slice(1).flatMap((m) => Array.from({ length: 5 }, () => post('/api/stations/checkins', m.token, { code: station.code }))));
        process.stdout.write(`multi-process (${n}): 30 check-ins of one member → ${JSON.stringify(tally(one))}; 20 members × 5 → ${JSON.stringify(tally(many))}\n`);
        expect(tally(one)).toEqual({ ok: 1, ok200: 29 });
        expect(new Set(one.map((r) => r.body.id)).size).toBe(1);
        expect(tally(many)).toEqual({ ok: 20, ok200: 80 });
        expect(await scalar(`SELECT COUNT(*) FROM station_checkins WHERE stationId = ${station.id}`)).toBe(21);
        expect(Object.keys(tallyAnswers([...one, ...many])).every((k) => k === '200' || k === '201')).toBe(true);
      }, 180_000);
    });
  }
});
