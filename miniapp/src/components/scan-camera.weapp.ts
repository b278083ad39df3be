/**
 * weapp stand-in for scan-camera.ts: Taro resolves `./scan-camera` to this file in the weapp build (its multi-platform
 * file resolution), so the H5 camera code and jsQR never reach the mini-program package. ScanButton uses
 * `Taro.scanCode` on weapp and never calls this.
 */
export type CameraScanResult = { kind: 'code'; text: string } | { kind: 'cancelled' } | { kind: 'unavailable'; reason: string };

export async function scanWithCamera(): Promise<CameraScanResult> {
  return { kind: 'unavailable', reason: '请使用微信扫一扫。' };
}
