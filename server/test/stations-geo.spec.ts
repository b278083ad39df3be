import fc from 'fast-check';
import { boundingBox, EARTH_RADIUS_M, formatDistance, haversineMeters } from '@union/shared';

describe('haversine and bounding box', () => {
  it('measures known distances', () => {
    expect(haversineMeters(30, 115, 30, 115)).toBe(0);
    // one degree of latitude on the mean sphere
    expect(haversineMeters(30, 115, 31, 115)).toBeCloseTo((Math.PI / 180) * EARTH_RADIUS_M, 3);
    // one degree of longitude on the equator, and Beijing → Shanghai (about 1,067 km)
    expect(haversineMeters(0, 100, 0, 101)).toBeCloseTo(111_195.08, 1);
    expect(Math.abs(haversineMeters(39.9042, 116.4074, 31.2304, 121.4737) - 1_067_000)).toBeLessThan(3_000);
  });

  it('contains every point within the radius (China box, edges included)', () => {
    fc.assert(fc.property(
      fc.double({ min: 18, max: 54, noNaN: true }), fc.double({ min: 73, max: 135, noNaN: true }),
      fc.integer({ min: 1, max: 50_000 }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      (lat, lng, r, bearing, frac) => {
        // a point at distance r·frac on `bearing` (destination-point formula)
        const d = (r * frac) / EARTH_RADIUS_M;
        const φ1 = (lat * Math.PI) / 180;
        const λ1 = (lng * Math.PI) / 180;
        const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(bearing));
        const λ2 = λ1 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
        const p = { lat: (φ2 * 180) / Math.PI, lng: (λ2 * 180) / Math.PI };
        const box = boundingBox(lat, lng, r);
        if (haversineMeters(lat, lng, p.lat, p.lng) <= r) {
          expect(p.lat).toBeGreaterThanOrEqual(box.minLat);
          expect(p.lat).toBeLessThanOrEqual(box.maxLat);
          expect(p.lng).toBeGreaterThanOrEqual(box.minLng);
          expect(p.lng).toBeLessThanOrEqual(box.maxLng);
        }
      },
    ), { numRuns: 5000 });
  });

  it('is tight: the box is not much larger than the circle', () => {
    const box = boundingBox(30, 115, 10_000);
    expect(haversineMeters(30, 115, box.maxLat, 115)).toBeCloseTo(10_000, 0);
    expect(haversineMeters(30, 115, 30, box.maxLng)).toBeGreaterThan(10_000);
    expect(haversineMeters(30, 115, 30, box.maxLng)).toBeLessThan(10_010);
  });

  it('formats distances', () => {
    expect(formatDistance(850.4)).toBe('850 米');
    expect(formatDistance(1234)).toBe('1.2 公里');
    expect(formatDistance(12_345)).toBe('12 公里');
  });
});
