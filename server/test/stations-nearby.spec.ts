import fc from 'fast-check';
import { Amenity, AMENITIES, amenityMask, EARTH_RADIUS_M, evaluateOpen, haversineMeters, MAX_NEARBY_RADIUS_M, OpeningHours } from '@union/shared';
import { Station } from '../src/modules/stations/entities';
import { StationsRepository } from '../src/modules/stations/stations.repository';
import { startApp, TestApp } from './support/app';

/**
 * Property: for random stations and query points anywhere in China's box (lat 18–54, lng 73–135),
 * including points exactly on, just inside and just outside the radius, the nearby search over
 * HTTP returns exactly what a brute-force haversine over every station gives: same stations, same
 * order (distance, then id), distances within 1 m. Runs on SQLite or MySQL (TEST_DB).
 */
const ALWAYS: OpeningHours = { is24h: true, weekly: {} };
const RUNS = Number(process.env.NEARBY_PROPERTY_RUNS ?? 40);

/** The point `distanceM` away from (lat, lng) on `bearing` radians (great-circle destination). */
function destination(lat: number, lng: number, distanceM: number, bearing: number) {
  const d = distanceM / EARTH_RADIUS_M;
  const φ1 = (lat * Math.PI) / 180;
  const λ1 = (lng * Math.PI) / 180;
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(bearing));
  const λ2 = λ1 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  return { lat: (φ2 * 180) / Math.PI, lng: (λ2 * 180) / Math.PI };
}

// fast-check's doubles lean towards the bounds; mix in evenly spread values too
const lat = fc.oneof(fc.double({ min: 18, max: 54, noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 18_000_000, max: 54_000_000 }).map((x) => x / 1e6));
const lng = fc.oneof(fc.double({ min: 73, max: 135, noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 73_000_000, max: 135_000_000 }).map((x) => x / 1e6));
/** Any direction, plus due east/west where the box is widest and due north/south where it is tallest. */
const bearing = fc.oneof(fc.integer({ min: 0, max: 359_999 }).map((x) => (x / 180_000) * Math.PI), fc.constantFrom(0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2));
const corner = fc.constantFrom({ lat: 18, lng: 73 }, { lat: 18, lng: 135 }, { lat: 54, lng: 73 }, { lat: 54, lng: 135 }, { lat: 36, lng: 104 });
const amenitySet = fc.subarray([...AMENITIES], { maxLength: 4 });

/** One scenario: a query point, a radius, and stations placed relative to it. */
const scenario = fc.record({
  centre: fc.oneof(fc.record({ lat, lng }), corner),
  radiusM: fc.oneof(fc.integer({ min: 1, max: MAX_NEARBY_RADIUS_M }), fc.constantFrom(1, 50, 1000, MAX_NEARBY_RADIUS_M)),
  near: fc.array(fc.record({
    // fraction of the radius: inside, on the edge, just outside, far outside
    frac: fc.oneof(fc.double({ min: 0, max: 1.3, noNaN: true }), fc.constantFrom(0, 1, 0.999999, 1.000001)),
    edgeOffsetM: fc.constantFrom(0, 0, 0.3, -0.3, 1, -1),
    bearing,
    amenities: amenitySet, closed: fc.boolean(),
  }), { maxLength: 25 }),
  spread: fc.array(fc.record({ lat, lng, amenities: amenitySet, closed: fc.boolean() }), { maxLength: 8 }),
  filter: amenitySet.map((a) => a.slice(0, 2)),
  openNow: fc.boolean(),
  pageSize: fc.constantFrom(3, 20, 100),
});

describe('nearby search equals brute-force haversine (property)', () => {
  let t: TestApp;
  let repo: StationsRepository;
  let orgId: number;

  beforeAll(async () => {
    t = await startApp();
    repo = t.app.get(StationsRepository);
    orgId = (await t.db.query("SELECT id FROM union_orgs WHERE code = 'HB-HS'"))[0].id;
  });
  afterAll(() => t.close());

  it('same stations, same order, distances within 1 m', async () => {
    let seq = 0;
    await fc.assert(fc.asyncProperty(scenario, async (sc) => {
      await t.db.getRepository(Station).clear();
      const now = new Date();
      const place = async (p: { lat: number; lng: number }, amenities: Amenity[], closed: boolean) => {
        if (p.lat < -90 || p.lat > 90) return;
        await repo.insertStation({
          orgId, keeperUserId: null, name: `P${seq}`, address: 'x', lat: p.lat, lng: p.lng, amenityMask: amenityMask(amenities), hours: ALWAYS,
          closedDates: [], status: closed ? 'temporarily_closed' : 'open', closedNote: null, closedUntil: null, phone: null, description: null,
          codeBody: `prop${++seq}`, createdAt: now, updatedAt: now,
        });
      };
      for (const n of sc.near) await place(destination(sc.centre.lat, sc.centre.lng, Math.max(0, sc.radiusM * n.frac + n.edgeOffsetM), n.bearing), n.amenities, n.closed);
      for (const s of sc.spread) await place(s, s.amenities, s.closed);

      // brute force over every stored station, as stored (coordinates read back from the database)
      const all = await t.db.getRepository(Station).find();
      const mask = amenityMask(sc.filter);
      const expected = all
        .map((s) => ({ id: s.id, d: haversineMeters(sc.centre.lat, sc.centre.lng, s.lat, s.lng), s }))
        .filter((x) => x.d <= sc.radiusM && (x.s.amenityMask & mask) === mask && (!sc.openNow || evaluateOpen(x.s).open))
        .sort((a, b) => a.d - b.d || a.id - b.id);

      const got: Array<{ id: number; distanceM: number }> = [];
      for (let page = 1; page < 100; page++) {
        const q = new URLSearchParams({ lat: String(sc.centre.lat), lng: String(sc.centre.lng), radiusM: String(sc.radiusM), page: String(page), pageSize: String(sc.pageSize) });
        if (sc.filter.length) q.set('amenities', sc.filter.join(','));
        if (sc.openNow) q.set('openNow', 'true');
        const res = await t.http().get(`/api/stations/nearby?${q}`);
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(expected.length);
        got.push(...res.body.items);
        if (res.body.items.length < sc.pageSize) break;
      }
      expect(got.map((g) => g.id)).toEqual(expected.map((e) => e.id));
      got.forEach((g, i) => expect(Math.abs(g.distanceM - expected[i].d)).toBeLessThanOrEqual(1));
    }), { numRuns: RUNS });
  }, 300_000);
});
