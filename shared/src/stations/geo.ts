/**
 * Distances on the sphere for nearby search. Coordinates are GCJ-02 degrees (what WeChat and
 * the stations table use); at the scale of a city the GCJ-02 offset is a near-constant shift, so
 * distances computed on GCJ-02 coordinates are good to well under a metre.
 */

/** Mean Earth radius in metres (IUGG), the one radius every distance here uses. */
export const EARTH_RADIUS_M = 6_371_008.8;
/** Largest radius the nearby search accepts, metres. */
export const MAX_NEARBY_RADIUS_M = 50_000;
/** Radius used when the caller gives none, metres. */
export const DEFAULT_NEARBY_RADIUS_M = 5_000;

const RAD = Math.PI / 180;

/** Great-circle distance in metres between two points (haversine formula). */
export function haversineMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

/**
 * The smallest latitude/longitude box that contains every point within `radiusM` of the centre
 * (a spherical cap), widened by a hair so that floating-point rounding never drops a point that
 * the exact haversine test keeps. Longitude half-width is asin(sin δ / cos φ) (the cap's widest
 * meridian extent), not δ / cos φ. Near a pole, or when the box would cross the ±180° meridian,
 * the longitude range opens to the whole circle (never the case for China; kept for correctness).
 */
export function boundingBox(lat: number, lng: number, radiusM: number): BoundingBox {
  const delta = radiusM / EARTH_RADIUS_M; // angular radius, radians
  const pad = 1e-9; // degrees, ≈ 0.1 mm
  const dLat = (delta / RAD) * (1 + 1e-9) + pad;
  const minLat = lat - dLat;
  const maxLat = lat + dLat;
  if (maxLat >= 90 || minLat <= -90 || delta >= Math.PI / 2) {
    return { minLat: Math.max(-90, minLat), maxLat: Math.min(90, maxLat), minLng: -180, maxLng: 180 };
  }
  const s = Math.sin(delta) / Math.cos(lat * RAD);
  if (s >= 1) return { minLat, maxLat, minLng: -180, maxLng: 180 };
  const dLng = (Math.asin(s) / RAD) * (1 + 1e-9) + pad;
  if (lng - dLng < -180 || lng + dLng > 180) return { minLat, maxLat, minLng: -180, maxLng: 180 };
  return { minLat, maxLat, minLng: lng - dLng, maxLng: lng + dLng };
}

/** Formats metres for people: `850 米`, `1.2 公里`, `12 公里`. */
export function formatDistance(m: number): string {
  if (m < 1000) return `${Math.round(m)} 米`;
  if (m < 10_000) return `${(m / 1000).toFixed(1)} 公里`;
  return `${Math.round(m / 1000)} 公里`;
}
