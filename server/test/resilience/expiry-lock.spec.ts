import { randomInt } from 'crypto';
import { startApp, TestApp } from '../support/app';
import { createMysqlDatabase, dropMysqlDatabase } from '../support/db';
import { createMembers } from '../support/vouchers-factory';
import { idemKey, voucherFixtures } from '../support/vouchers-fixtures';
import { call } from '../support/resilience';
import { EXPIRY_INTERVAL_MS, VoucherExpiryJob } from '../../src/modules/vouchers/jobs/voucher-expiry.job';

/**
 * The voucher expiry job runs once per tick across processes: two application instances on one database,
 * both with REDIS_URL, fire the tick together for 12 ticks; each tick runs in exactly one of them (Redis
 * `SET NX PX`). Without Redis (single-process set-up) every instance runs. The ticks are taken far in the
 * future (random) so they cannot meet the real minute ticks of other processes on the shared Redis.
 */
describe('scheduled expiry runs once per tick across processes', () => {
  let a: TestApp & { databaseUrl: string; keyFile: string };
  let b: TestApp;
  let plain: TestApp;

  beforeAll(async () => {
    const databaseUrl = await createMysqlDatabase(`union_expiry_${process.pid}`);
    const keyFile = `/tmp/union_expiry_${process.pid}-keys.json`;
    a = await startApp({ REDIS_URL: 'redis://127.0.0.1:6379' }, { databaseUrl, keyFile });
    b = await startApp({ REDIS_URL: 'redis://127.0.0.1:6379' }, { databaseUrl, keyFile });
    plain = await startApp({}, { databaseUrl, keyFile });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([b.close(), plain.close()]);
    await a.close();
    await dropMysqlDatabase(a.databaseUrl);
  });

  it('two instances with Redis: one run per tick; vouchers expired', async () => {
    const staff = await a.login('exp-staff', 'union_staff', 'HB-HS');
    const fx = voucherFixtures(a, staff);
    const c = await fx.campaign();
    const members = await createMembers(a, 5, { orgCode: 'HB-HS-HSG-WM', prefix: `exp-${process.pid}` });
    for (const m of members) expect((await call(a.url, 'POST', `/api/vouchers/campaigns/${c.id}/claims`, m.token, { voucherTypeId: c.types[0].id }, idemKey())).status).toBe(201);

    const jobs = [a.app.get(VoucherExpiryJob), b.app.get(VoucherExpiryJob)];
    const base = Date.UTC(2200, 0, 1) + randomInt(0, 2 ** 28) * EXPIRY_INTERVAL_MS;
    const perTick: number[] = [];
    const runsBy = [0, 0];
    for (let tick = 0; tick < 12; tick++) {
      // both processes' timers fire within the same minute, a few ms apart, several times
      const now = new Date(base + tick * EXPIRY_INTERVAL_MS + randomInt(0, 1000));
      const ran = await Promise.all([jobs[0].tick(now), jobs[1].tick(now)]);
      // and again later in the same minute (timers are not aligned across processes)
      ran.push(await jobs[0].tick(new Date(now.getTime() + 30_000)), await jobs[1].tick(new Date(now.getTime() + 45_000)));
      ran.forEach((r, i) => { if (r) runsBy[i % 2]++; });
      perTick.push(ran.filter(Boolean).length);
    }
    const plainJob = plain.app.get(VoucherExpiryJob);
    const unlocked = await Promise.all([plainJob.tick(new Date(base)), plainJob.acquireTick(new Date(base))]);
    const expired = Number((await a.db.query(`SELECT COUNT(*) AS n FROM vouchers WHERE campaignId = ${c.id} AND status = 'expired'`))[0].n);
    process.stdout.write(
      `expiry lock: 12 ticks fired by 2 Redis-locked instances (4 timer firings each tick) → runs per tick ${JSON.stringify(perTick)}, ` +
      `runs by instance ${runsBy.join('/')}; ${expired}/5 vouchers expired; without Redis an instance runs every tick: ${unlocked.join(', ')}\n`,
    );
    expect(perTick).toEqual(Array(12).fill(1));
    expect(expired).toBe(5);
    expect(unlocked).toEqual([true, true]);
  }, 120_000);
});
