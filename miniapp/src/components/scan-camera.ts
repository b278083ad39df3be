/**
 * H5 camera scanning: a full-screen camera view (getUserMedia, the back camera when there is one) whose frames are
 * decoded by jsQR until a QR code is found. Loaded only on H5, through `import()` from ScanButton, so neither this
 * file nor jsQR reaches the weapp bundle (weapp scans with `Taro.scanCode`).
 *
 * `scanWithCamera()` resolves `{ kind: 'code', text }` with the QR's text, `{ kind: 'cancelled' }` when the user
 * closes the view, or `{ kind: 'unavailable', reason }` when there is no camera, the permission is refused or the
 * page is not in a secure context (http on a LAN address); `reason` is a plain Chinese sentence for the user saying why
 * (the caller adds what to do instead).
 * It never rejects.
 */
import jsQR from 'jsqr';

export type CameraScanResult = { kind: 'code'; text: string } | { kind: 'cancelled' } | { kind: 'unavailable'; reason: string };

/** Frames are scaled down to this width before decoding: enough for a QR filling part of the view, cheap on old phones. */
const DECODE_WIDTH = 640;
/** Milliseconds between decode attempts. */
const DECODE_EVERY_MS = 150;

/** A plain Chinese reason for a getUserMedia failure. */
export function cameraErrorReason(e: unknown): string {
  const name = (e as { name?: string } | null)?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return '没有得到使用摄像头的许可，无法扫码。可以在浏览器设置里允许本网站使用摄像头后再扫。';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
    return '这台设备没有可用的摄像头，无法扫码。';
  }
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') {
    return '摄像头正被其他应用占用，无法扫码。请关闭其他使用摄像头的应用后重试。';
  }
  return '无法打开摄像头扫码。';
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, style: Partial<CSSStyleDeclaration>, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node.style, style);
  if (text) node.textContent = text;
  return node;
}

export async function scanWithCamera(): Promise<CameraScanResult> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
    return { kind: 'unavailable', reason: '这个浏览器不能用摄像头扫码（需要用 https 网址打开，或换用手机自带浏览器）。' };
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
  } catch (e) {
    return { kind: 'unavailable', reason: cameraErrorReason(e) };
  }

  return new Promise<CameraScanResult>((resolve) => {
    const overlay = el('div', {
      position: 'fixed', inset: '0', zIndex: '10000', background: '#000', display: 'flex', flexDirection: 'column',
      alignItems: 'center', justifyContent: 'center', gap: '16px', padding: '16px', boxSizing: 'border-box',
    });
    overlay.id = 'scan-camera';
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-modal', 'true');
    overlay.setAttribute('aria-label', '扫描二维码');
    const video = el('video', { width: '100%', maxWidth: '480px', maxHeight: '60vh', objectFit: 'cover', borderRadius: '12px', border: '3px solid #fff' });
    video.setAttribute('playsinline', 'true');
    video.setAttribute('aria-hidden', 'true');
    video.muted = true;
    video.srcObject = stream;
    const hint = el('p', { color: '#fff', fontSize: '18px', lineHeight: '1.5', margin: '0', textAlign: 'center' }, '把二维码放进画面中间，对准后会自动识别');
    hint.setAttribute('role', 'status');
    const cancel = el('button', {
      minWidth: '160px', minHeight: '60px', fontSize: '20px', color: '#1a1a1a', background: '#fff', border: 'none', borderRadius: '12px', cursor: 'pointer',
    }, '取消扫码');
    cancel.id = 'scan-camera-cancel';
    cancel.type = 'button';
    overlay.append(video, hint, cancel);
    document.body.appendChild(overlay);
    cancel.focus();

    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    let timer: ReturnType<typeof setInterval> | null = null;
    let done = false;
    const finish = (r: CameraScanResult) => {
      if (done) return;
      done = true;
      if (timer) clearInterval(timer);
      stream.getTracks().forEach((t) => t.stop());
      document.removeEventListener('keydown', onKey);
      overlay.remove();
      resolve(r);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') finish({ kind: 'cancelled' });
    };
    document.addEventListener('keydown', onKey);
    cancel.addEventListener('click', () => finish({ kind: 'cancelled' }));
    stream.getVideoTracks()[0]?.addEventListener('ended', () => finish({ kind: 'unavailable', reason: '摄像头被关闭了，请重新扫码。' }));

    const tick = () => {
      if (done || !ctx || video.readyState < 2 || !video.videoWidth) return;
      const scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
      const w = Math.round(video.videoWidth * scale);
      const h = Math.round(video.videoHeight * scale);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
      ctx.drawImage(video, 0, 0, w, h);
      const found = jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'attemptBoth' });
      if (found?.data) finish({ kind: 'code', text: found.data });
    };
    void video.play().catch(() => undefined);
    timer = setInterval(tick, DECODE_EVERY_MS);
  });
}
