import { activeHousehold, auth as aidAuth } from './support/aid';
import { startApp, TestApp } from './support/app';
import { auth, idemKey, voucherFixtures } from './support/vouchers-fixtures';

/**
 * Hot-path reads that concurrent requests share (common/batched-reads.ts), on SQLite and MySQL through real HTTP:
 * a burst of concurrent household-code scans and of sold-out claims gets, request by request, exactly the answer the
 * same request gets alone. (How many requests share a query depends on how they arrive; the unit test below pins the
 * batching itself, and bench:claim's "SQL/answer (storm)" shows it under a rush.)
 */
describe('batched hot-path reads', () => {
  let t: TestApp;
  let staffA: string;
  let staffB: string;
  const seen: string[] = [];
  let recording = false;

  beforeAll(async () => {
    t = await startApp();
    staffA = await t.login('br-staff-a', 'union_staff', 'HB-HS');
    staffB = await t.login('br-staff-b', 'union_staff', 'HB-HS');
    const logger = t.db.logger as any;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (q: string, p: unknown, r: unknown) => {
      if (recording) seen.push(q.replace(/\s+/g, ' '));
      return original(q, p, r);
    };
  }, 120_000);
  afterAll(() => t.close());

  const during = async <T>(work: () => Promise<T>) => {
    seen.length = 0;
    recording = true;
    try {
      return await work();
    } finally {
      recording = false;
    }
  };

  it('concurrent household-code scans: each answer as alone, answered from the database', async () => {
    const households = [];
    for (let i = 0; i < 8; i++) households.push(await activeHousehold(t, staffA, staffB));
    // two of them leave: their codes answer 410 from then on
    for (const h of households.slice(0, 2)) {
      const exited = await t.http().post(`/api/aid/households/${h.id}/exit`).set(aidAuth(staffA)).send({ reason: '再就业', date: '2026-11-20' });
      expect(exited.status).toBe(200);
    }
    const codes = [...households.map((h) => h.code), ...households.map((h) => h.code)]; // each twice in the burst
    const scan = (code: string) => t.http().get(`/api/aid/household-codes/${encodeURIComponent(code)}`).then((r) => ({ status: r.status, body: r.body }));
    const alone = [];
    for (const code of codes) alone.push(await scan(code));
    expect(alone.map((a) => a.status)).toEqual([410, 410, 200, 200, 200, 200, 200, 200, 410, 410, 200, 200, 200, 200, 200, 200]);
    const together = await during(() => Promise.all(codes.map(scan)));
    expect(together).toEqual(alone);
    expect(seen.filter((q) => /FROM aid_household_codes c/.test(q)).length).toBeGreaterThan(0);
  }, 120_000);

  it('concurrent sold-out claims and a replay among them: each answer as alone, the replay finds its voucher', async () => {
    const fx = voucherFixtures(t, staffA);
    const c = await fx.campaign({ types: [{ name: '满50减10', faceValueFen: 1000, minSpendFen: 5000, quantity: 1, perMemberLimit: 1 }], perMemberLimit: 1 });
    const typeId = c.types[0].id as number;
    const members: string[] = [];
    for (let i = 0; i < 10; i++) members.push(await fx.member());
    const claim = (token: string, key: string) => t.http().post(`/api/vouchers/campaigns/${c.id}/claims`).set(auth(token)).set('Idempotency-Key', key)
      .send({ voucherTypeId: typeId }).then((r) => ({ status: r.status, body: r.body }));
    const winnerKey = idemKey();
    const won = await claim(members[0], winnerKey);
    expect(won.status).toBe(201);
    const keys = members.map((_, i) => (i === 0 ? winnerKey : idemKey()));
    // alone: the winner's replay returns its voucher, everyone else is told it is sold out
    const sequential = [];
    for (let i = 0; i < members.length; i++) sequential.push(await claim(members[i], keys[i]));
    expect(sequential[0]).toEqual(won);
    expect(sequential.slice(1).every((r) => r.status === 409 && r.body.code === 'SOLD_OUT')).toBe(true);
    const together = await during(() => Promise.all(members.map((m, i) => claim(m, keys[i]))));
    expect(together).toEqual(sequential);
    expect(seen.filter((q) => /FROM .idempotency_keys./.test(q) && /^SELECT/i.test(q)).length).toBeGreaterThan(0);
    expect(Number((await t.db.query(`SELECT COUNT(*) AS n FROM vouchers WHERE campaignId = ?`, [c.id]))[0].n)).toBe(1);
  }, 120_000);
});

describe('batchedRead (the mechanism)', () => {
  const { batchedRead, MAX_BATCH } = jest.requireActual('../src/common/batched-reads') as typeof import('../src/common/batched-reads');

  it('answers every look-up made in one event-loop round with one call, in order, and nothing from a cache', async () => {
    const calls: number[][] = [];
    let version = 0;
    const loader = batchedRead<number, string>(async (keys) => {
      calls.push([...keys]);
      return keys.map((k) => (k % 2 ? `odd ${k} v${version}` : null));
    });
    expect(await Promise.all([1, 2, 3, 3].map((k) => loader.load(k)))).toEqual(['odd 1 v0', null, 'odd 3 v0', 'odd 3 v0']);
    expect(calls).toEqual([[1, 2, 3, 3]]);
    version = 1; // the next round reads again: no value is kept between rounds
    expect(await loader.load(3)).toBe('odd 3 v1');
    expect(calls).toHaveLength(2);
  });

  it('splits a burst larger than MAX_BATCH', async () => {
    const sizes: number[] = [];
    const loader = batchedRead<number, number>(async (keys) => { sizes.push(keys.length); return [...keys]; });
    const keys = Array.from({ length: MAX_BATCH + 5 }, (_, i) => i);
    expect(await Promise.all(keys.map((k) => loader.load(k)))).toEqual(keys);
    expect(sizes).toEqual([MAX_BATCH, 5]);
  });

  it('look-ups made in later I/O rounds go in later calls', async () => {
    const calls: number[][] = [];
    const loader = batchedRead<number, number>(async (keys) => { calls.push([...keys]); return [...keys]; });
    const first = loader.load(1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const second = loader.load(2);
    await Promise.all([first, second]);
    expect(calls).toEqual([[1], [2]]);
  });
});
