import { View } from '@tarojs/components';
import { useMemo } from 'react';
import { create } from 'qrcode/lib/core/qrcode';
import './components.css';

/**
 * UTF-8 bytes of a string. Handing the encoder bytes (one byte-mode segment) keeps it from
 * calling TextEncoder, which older weapp base libraries lack.
 */
function utf8(text: string): number[] {
  const binary = unescape(encodeURIComponent(text));
  const out: number[] = [];
  for (let i = 0; i < binary.length; i++) out.push(binary.charCodeAt(i));
  return out;
}

const QUIET_ZONE = 2; // modules of white border around the symbol

interface QrProps {
  /** The text to encode (a URL or a signed code). */
  text: string;
  /** Approximate side length in px. */
  size?: number;
}

/** Run-length rows: each row is a list of [dark?, length] so a QR is tens of Views, not thousands. */
function rowsOf(text: string): { rows: Array<Array<[boolean, number]>>; total: number } {
  const { modules } = create([{ data: utf8(text), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const total = n + QUIET_ZONE * 2;
  const rows: Array<Array<[boolean, number]>> = [];
  for (let r = 0; r < n; r++) {
    const runs: Array<[boolean, number]> = [[false, QUIET_ZONE]];
    for (let c = 0; c < n; c++) {
      const dark = !!modules.get(r, c);
      const last = runs[runs.length - 1];
      if (last[0] === dark) last[1]++;
      else runs.push([dark, 1]);
    }
    runs.push([false, QUIET_ZONE]);
    rows.push(runs);
  }
  return { rows, total };
}

/** A QR code drawn with Views; `data-code` carries the encoded text so tests can read it. */
export function Qr({ text, size = 200 }: QrProps) {
  const { rows, total } = useMemo(() => rowsOf(text), [text]);
  const cell = Math.max(2, Math.floor(size / total));
  const side = cell * total;
  return (
    <View
      className='qr'
      data-testid='qr'
      data-code={text}
      style={{ width: `${side}px`, padding: `${cell * QUIET_ZONE}px 0` }}
    >
      {rows.map((runs, r) => (
        <View key={r} className='qr-row' style={{ height: `${cell}px` }}>
          {runs.map(([dark, len], i) => (
            <View
              key={i}
              className={dark ? 'qr-dark' : 'qr-light'}
              style={{ width: `${len * cell}px`, height: `${cell}px` }}
            />
          ))}
        </View>
      ))}
    </View>
  );
}
