import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { Button } from './Button';

/**
 * 扫码 button, on both platforms: weapp opens WeChat's scanner (`Taro.scanCode`); H5 opens the camera in the page
 * (getUserMedia + jsQR, see scan-camera.ts, loaded only when pressed; the weapp build gets scan-camera.weapp.ts, a
 * stub). `onScan` gets the QR's text, trimmed. A cancelled scan does nothing. When the camera cannot be used (no camera, permission refused,
 * not https) the button says why in plain Chinese under itself and points to the page's paste field, which pages
 * keep next to the button as the fallback (`fallbackHint` names it).
 *
 * Props: `id` (the button's id; the note gets `<id>-note`), `label` (default 扫码), `primary` (filled style),
 * `disabled`, `fallbackHint` (what to do instead, appended to the reason; default: use the input below).
 */
export interface ScanButtonProps {
  onScan: (text: string) => void;
  id?: string;
  label?: string;
  primary?: boolean;
  disabled?: boolean;
  fallbackHint?: string;
}

export function ScanButton({ onScan, id = 'scan-button', label = '扫码', primary = false, disabled = false, fallbackHint }: ScanButtonProps) {
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const instead = fallbackHint ?? '请在下面的输入框里粘贴或输入编码。';

  const scan = async () => {
    setNote(null);
    if (process.env.TARO_ENV === 'h5') {
      setBusy(true);
      try {
        const { scanWithCamera } = await import('./scan-camera');
        const r = await scanWithCamera();
        if (r.kind === 'code' && r.text.trim()) onScan(r.text.trim());
        else if (r.kind === 'unavailable') setNote(`${r.reason}${instead}`);
      } catch {
        setNote(`扫码功能没有加载成功，请检查网络后重试。${instead}`);
      } finally {
        setBusy(false);
      }
      return;
    }
    try {
      const res = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
      if (res.result?.trim()) onScan(res.result.trim());
    } catch (e) {
      const msg = (e as { errMsg?: string } | null)?.errMsg ?? '';
      if (!msg.includes('cancel')) setNote(`扫码没有成功，请重试。${instead}`);
    }
  };

  return (
    <View className='scan-button'>
      <Button kind={primary ? 'primary' : 'plain'} id={id} disabled={disabled} loading={busy} onClick={() => void scan()}>
        {label}
      </Button>
      {note && (
        <View className='banner banner-info' id={`${id}-note`} role='alert'>
          {note}
        </View>
      )}
    </View>
  );
}
