/**
 * Maps and navigation to a place: WeChat's map (`Taro.openLocation`, and the `Map` component) on
 * weapp; on H5 there is no map key, so no map is drawn and navigation opens Amap's web marker page
 * (which takes GCJ-02 coordinates, like everything we store).
 */
import Taro from '@tarojs/taro';

/** Whether the platform can draw a map (Taro `Map` needs WeChat). */
export const hasMap = process.env.TARO_ENV === 'weapp';

/** Amap's web marker page for a GCJ-02 point (`coordinate=gaode`); on a phone with Amap installed it offers to open the app. */
export function mapLinkUrl(p: { lat: number; lng: number; name: string }): string {
  return `https://uri.amap.com/marker?position=${p.lng},${p.lat}&name=${encodeURIComponent(p.name)}&coordinate=gaode&callnative=1`;
}

/** Shows a place on a map to navigate there: WeChat's map on weapp; on H5 {@link mapLinkUrl} in a new tab. */
export async function openNavigation(p: { lat: number; lng: number; name: string; address: string }): Promise<void> {
  if (process.env.TARO_ENV === 'weapp') {
    await Taro.openLocation({ latitude: p.lat, longitude: p.lng, name: p.name, address: p.address, scale: 16 });
    return;
  }
  if (typeof window !== 'undefined') window.open(mapLinkUrl(p), '_blank', 'noopener');
}
