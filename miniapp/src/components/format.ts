import { formatFen, type Fen } from '@union/shared';

/**
 * Plain-words formatting for the kit (pure functions, no Taro): months as `2026年11月`, times relative to today in
 * Asia/Shanghai (`今天 14:05`, `昨天 09:30`, `11月3日 14:05`, `2025年11月3日`), money as `1,234.50元`.
 * Inputs: ISO-8601 instants (UTC) or `YYYY-MM` / `YYYY-MM-DD` strings; integer fen for money.
 */

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000; // China has no daylight saving time

interface Parts {
  y: number;
  m: number;
  d: number;
  hh: number;
  mm: number;
}

/** Calendar parts in Asia/Shanghai of an ISO instant, a Date, or a bare `YYYY-MM(-DD)` (taken as is). */
export function shanghaiParts(value: string | Date): Parts | null {
  if (typeof value === 'string') {
    const bare = value.match(/^(\d{4})-(\d{2})(?:-(\d{2}))?$/);
    if (bare) return { y: +bare[1], m: +bare[2], d: bare[3] ? +bare[3] : 1, hh: 0, mm: 0 };
  }
  const t = new Date(value).getTime();
  if (!Number.isFinite(t)) return null;
  const d = new Date(t + SHANGHAI_OFFSET_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes() };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11` (or any instant in that month) → `2026年11月`; unparsable input comes back unchanged. */
export function formatMonth(value: string | Date): string {
  const p = shanghaiParts(value);
  return p ? `${p.y}年${p.m}月` : String(value);
}

/** `2026-11-03` (or an instant) → `2026年11月3日`. */
export function formatDate(value: string | Date): string {
  const p = shanghaiParts(value);
  return p ? `${p.y}年${p.m}月${p.d}日` : String(value);
}

/**
 * An instant in words relative to `now` (both in Asia/Shanghai): `今天 14:05`, `昨天 14:05`, `11月3日 14:05` in the
 * same year, `2025年11月3日 14:05` otherwise.
 */
export function formatDateTime(value: string | Date, now: Date = new Date()): string {
  const p = shanghaiParts(value);
  const n = shanghaiParts(now);
  if (!p || !n) return String(value);
  const time = `${pad(p.hh)}:${pad(p.mm)}`;
  const dayNo = (x: Parts) => Date.UTC(x.y, x.m - 1, x.d) / 86_400_000;
  const diff = dayNo(n) - dayNo(p);
  if (diff === 0) return `今天 ${time}`;
  if (diff === 1) return `昨天 ${time}`;
  if (p.y === n.y) return `${p.m}月${p.d}日 ${time}`;
  return `${p.y}年${p.m}月${p.d}日 ${time}`;
}

/** Fen → yuan with thousands separators and two decimals: 123450 → `1,234.50`. */
export function formatYuan(fen: Fen): string {
  const [int, dec] = formatFen(fen).split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}
