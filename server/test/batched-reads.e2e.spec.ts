import { activeHousehold, auth as aidAuth } from './support/aid';
import { startApp, TestApp } from './support/app';
import { auth, idemKey, voucherFixtures } from './support/vouchers-fixtures';
import { createStation } from './support/stations';

/**
 * Hot-path reads that concurrent requests share (common/batched-reads.ts), on SQLite and MySQL through real HTTP:
 * a burst of concurrent household-code scans, of sold-out claims and of nearby station searches gets, request by
 * request, exactly the answer the same request gets alone. (How many requests share a query depends on how they arrive; the unit test below pins the
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

  it('concurrent nearby searches: each answer as alone (rows, org, photos, ratings), the page reads shared', async () => {
    const stations: Array<{ id: number }> = [];
    for (let i = 0; i < 6; i++) stations.push(await createStation(t, staffA, { lat: 29.5 + i * 0.001, lng: 114.5, name: `批量驿站${i}` }));
    // ratings and photos of some of them, written as rows (the read is what is under test)
    const at = '2026-11-20 08:00:00';
    for (const [k, s] of stations.slice(0, 3).entries()) {
      await t.db.query('INSERT INTO station_ratings (stationId, memberId, stars, comment, day, at) VALUES (?, ?, ?, NULL, ?, ?), (?, ?, ?, NULL, ?, ?)',
        [s.id, 1, 5, '2026-11-20', at, s.id, 2, 2 + k, '2026-11-20', at]);
      await t.db.query('INSERT INTO station_photos (stationId, slot, fileName, contentType, bytes, createdAt) VALUES (?, 1, ?, ?, 10, ?)', [s.id, `br-${s.id}.jpg`, 'image/jpeg', at]);
    }
    const queries = [
      'lat=29.5&lng=114.5&radiusM=2000', 'lat=29.503&lng=114.5&radiusM=2000&pageSize=2', 'lat=29.503&lng=114.5&radiusM=2000&page=2&pageSize=2',
      'lat=29.505&lng=114.501&radiusM=800&openFirst=true', 'lat=29.5&lng=114.5&radiusM=2000&amenities=water',
    ];
    const search = (q: string) => t.http().get(`/api/stations/nearby?${q}`).then((r) => ({ status: r.status, body: r.body }));
    const alone = [];
    for (const q of [...queries, ...queries]) alone.push(await search(q));
    expect(alone.every((a) => a.status === 200)).toBe(true);
    const rated = alone[0].body.items.find((v: any) => v.id === stations[1].id);
    expect([rated.ratingAverage, rated.ratingCount, rated.photos.length]).toEqual([4, 2, 1]);
    const together = await during(() => Promise.all([...queries, ...queries].map(search)));
    expect(together).toEqual(alone);
    // answered from the database (how many searches shared a statement depends on how they arrived: the batchedMap
    // test below pins the sharing, bench:nearby shows it under load)
    expect(seen.filter((q) => /FROM [`"]?station_photos[`"]?/.test(q)).length).toBeGreaterThan(0);
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

  it('batchedMap: one call per round with each key once, a map of the keys found, errors passed on', async () => {
    const { batchedMap } = jest.requireActual('../src/common/batched-reads') as typeof import('../src/common/batched-reads');
    const calls: number[][] = [];
    const reads = batchedMap<number, string>(async (keys) => {
      calls.push([...keys]);
      if (keys.includes(13)) throw new Error('unlucky');
      return new Map(keys.filter((k) => k % 2).map((k) => [k, `odd ${k}`]));
    });
    const [a, b] = await Promise.all([reads.many([1, 2, 3]), reads.many([3, 5, 5])]);
    expect([...a]).toEqual([[1, 'odd 1'], [3, 'odd 3']]);
    expect([...b]).toEqual([[3, 'odd 3'], [5, 'odd 5']]);
    expect(calls).toEqual([[1, 2, 3, 5]]);
    await expect(reads.many([13])).rejects.toThrow('unlucky');
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
