/**
 * The member's location in GCJ-02 (what WeChat and Chinese maps use). weapp asks Taro for gcj02
 * directly; H5 gets WGS-84 from the browser's geolocation and converts it with gcoord.
 * Resolves null when the user refuses or the platform has no location: callers fall back to an unsorted list.
 */
import Taro from '@tarojs/taro';
import gcoord from 'gcoord';

export interface LatLng {
  lat: number;
  lng: number;
}

/** Converts a WGS-84 point to GCJ-02 (identity outside mainland China, per gcoord). */
export function wgs84ToGcj02(p: LatLng): LatLng {
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return { lat, lng };
}

export async function getLocationGcj02(timeoutMs = 8000): Promise<LatLng | null> {
  if (process.env.TARO_ENV === 'weapp') {
    try {
      const res = await Taro.getLocation({ type: 'gcj02' });
      return { lat: res.latitude, lng: res.longitude };
    } catch {
      return null;
    }
  }
  if (typeof navigator === 'undefined' || !navigator.geolocation) return null;
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve(wgs84ToGcj02({ lat: pos.coords.latitude, lng: pos.coords.longitude })),
      () => resolve(null),
      { enableHighAccuracy: false, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
