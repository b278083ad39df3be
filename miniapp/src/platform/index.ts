/**
 * The only module that branches on TARO_ENV: scanning and login differ between weapp and H5.
 */
import Taro from '@tarojs/taro';
import type { LoginResponse } from '@union/shared';
import { wechatLogin } from '../api/auth';

export const isWeapp = process.env.TARO_ENV === 'weapp';
export const isH5 = process.env.TARO_ENV === 'h5';

/** Whether this platform can scan a QR code with the camera (H5 cannot: show a type-a-code box). */
export const canScan = isWeapp;

/** Scans a QR code; resolves its text, or null when cancelled or unsupported. */
export async function scanCode(): Promise<string | null> {
  if (!canScan) return null;
  try {
    const res = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
    return res.result || null;
  } catch {
    return null;
  }
}

/** Whether login happens silently through WeChat (weapp) rather than a picker (H5 dev login). */
export const loginWithWechat = isWeapp;

/** weapp: `Taro.login` → `POST /api/auth/wechat {code}`. Not available on H5. */
export async function platformLogin(): Promise<LoginResponse> {
  if (!isWeapp) throw new Error('请在微信中打开');
  const { code } = await Taro.login();
  return wechatLogin({ code });
}

/**
 * Pulls a join code out of scanned or pasted text: a join page URL (`…/pages/join/index?code=…`,
 * also a weapp `path?code=` or `scene=`) or a bare code.
 */
export function extractJoinCode(text: string): string {
  const t = text.trim();
  const m = t.match(/[?&](?:code|scene)=([^&#]+)/);
  if (m) {
    try {
      return decodeURIComponent(m[1]);
    } catch {
      return m[1];
    }
  }
  return t;
}

/** Opens the print dialog where there is one (H5). */
export function printPage(): boolean {
  if (isH5 && typeof window !== 'undefined' && typeof window.print === 'function') {
    window.print();
    return true;
  }
  return false;
}

/**
 * Calls `onChange(false)` when the screen stops being visible and `onChange(true)` when it is visible again;
 * returns the unsubscribe. H5: the document's visibility (a hidden browser tab, a locked phone). weapp: nothing
 * to do here, because leaving the page or sending the app to the background already fires the page's onHide/onShow.
 */
export function onScreenVisibility(onChange: (visible: boolean) => void): () => void {
  if (!isH5 || typeof document === 'undefined') return () => undefined;
  const listener = () => onChange(document.visibilityState !== 'hidden');
  document.addEventListener('visibilitychange', listener);
  return () => document.removeEventListener('visibilitychange', listener);
}
