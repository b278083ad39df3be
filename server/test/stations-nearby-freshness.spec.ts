import { Station } from '../src/modules/stations/entities';
import { startApp, TestApp } from './support/app';
import { auth, createStation } from './support/stations';

/**
 * The nearby search answers from an in-memory index in each process (StationGeoIndex); the database stays the
 * source of truth. Two application instances share one database (SQLite file or MySQL database, TEST_DB): a station
 * created, moved, closed or reopened through one shows up in the other's nearby answers within 1 s, and so do rows
 * written straight in SQL (an import outside the application); a row deleted in SQL disappears within 5 s. Redis is
 * not needed for this; run it with and without REDIS_URL.
 */
describe('nearby index stays current across processes', () => {
  let a: TestApp & { databaseUrl: string; keyFile: string };
  let b: TestApp;
  let staff: string;

  beforeAll(async () => {
    // with REDIS_URL set (redis://127.0.0.1:6379) both instances also share Redis, as in production; the index does not need it
    const env: Record<string, string> = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {};
    a = await startApp(env);
    b = await startApp(env, { databaseUrl: a.databaseUrl, keyFile: a.keyFile });
    staff = await a.login('nb-fresh-staff', 'union_staff', 'HB-HS');
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const P = { lat: 30.41, lng: 115.41 };
  const Q = { lat: 30.47, lng: 115.47 };
  const nearby = (t: TestApp, p: { lat: number; lng: number }, extra = '') =>
    t.http().get(`/api/stations/nearby?lat=${p.lat}&lng=${p.lng}&radiusM=1000${extra}`).then((r) => {
      expect(r.status).toBe(200);
      return r.body as { total: number; items: Array<{ id: number; lat: number; status: string }> };
    });
  /** Polls `check` on instance b until it holds; returns the milliseconds it took. */
  async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      if (await check()) return Date.now() - t0;
      if (Date.now() - t0 > ms) throw new Error(`not visible within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('created, moved, closed and reopened in one process: seen by the other within 1 s', async () => {
    expect((await nearby(b, P)).total).toBe(0); // b's index is loaded
    expect((await nearby(b, Q)).total).toBe(0);

    const s = await createStation(a, staff, { lat: P.lat, lng: P.lng, hours: { is24h: true, weekly: {} } });
    expect(await within(1000, async () => (await nearby(b, P)).items.some((x) => x.id === s.id))).toBeLessThanOrEqual(1000);

    expect((await a.http().patch(`/api/stations/${s.id}`).set(auth(staff)).send({ lat: Q.lat, lng: Q.lng })).status).toBe(200);
    await within(1000, async () => (await nearby(b, Q)).items.some((x) => x.id === s.id) && !(await nearby(b, P)).items.some((x) => x.id === s.id));

    expect((await a.http().patch(`/api/stations/${s.id}/operations`).set(auth(staff)).send({ status: 'temporarily_closed' })).status).toBe(200);
    await within(1000, async () => !(await nearby(b, Q, '&openNow=true')).items.some((x) => x.id === s.id)
      && (await nearby(b, Q)).items.find((x) => x.id === s.id)?.status === 'temporarily_closed');

    expect((await a.http().patch(`/api/stations/${s.id}/operations`).set(auth(staff)).send({ status: 'open' })).status).toBe(200);
    await within(1000, async () => (await nearby(b, Q, '&openNow=true')).items.some((x) => x.id === s.id));
  });

  it('rows written straight in SQL are seen within 1 s; a row deleted in SQL is gone within 5 s', async () => {
    const s = await createStation(a, staff, { lat: P.lat, lng: P.lng, hours: { is24h: true, weekly: {} } });
    await within(1000, async () => (await nearby(b, P)).items.some((x) => x.id === s.id));
    // an edit outside the stations module (one UPDATE statement; it sets updatedAt, as any import must)
    await a.db.createQueryBuilder().update(Station).set({ lat: Q.lat, lng: Q.lng, updatedAt: new Date(Date.now() + 1000) }).where('id = :id', { id: s.id }).execute();
    await within(1000, async () => (await nearby(b, Q)).items.some((x) => x.id === s.id) && !(await nearby(b, P)).items.some((x) => x.id === s.id));
    // a copy of the row inserted in SQL (a new, higher id)
    await a.db.query(
      `INSERT INTO stations (orgId, keeperUserId, name, address, lat, lng, amenityMask, hours, closedDates, status, closedNote, closedUntil, phone, description, codeBody, createdAt, updatedAt)
       SELECT orgId, keeperUserId, name, address, ?, ?, amenityMask, hours, closedDates, status, closedNote, closedUntil, phone, description, 'sql-copy-1', createdAt, updatedAt FROM stations WHERE id = ?`,
      [P.lat, P.lng, s.id],
    );
    const copy = Number((await a.db.query("SELECT id FROM stations WHERE codeBody = 'sql-copy-1'"))[0].id);
    await within(1000, async () => (await nearby(b, P)).items.some((x) => x.id === copy));
    // a delete in SQL of a row that is not the newest: no version moves, the row count does
    await a.db.query('DELETE FROM stations WHERE id = ?', [s.id]);
    await within(5000, async () => !(await nearby(b, Q)).items.some((x) => x.id === s.id));
  });
});
