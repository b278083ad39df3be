/** Money is always an integer number of fen (分); 100 fen = 1 yuan. */
export type Fen = number;

/** Formats fen as a yuan string with two decimals, e.g. 80000 → `800.00`. Display only. */
export function formatFen(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses an amount written in yuan (`800`, `800.5`, `1,200.00`) into integer fen, exactly (no floating
 * point); thousands separators allowed, at most two decimals. Returns null when the text is not such an amount.
 */
export function yuanToFen(text: string): number | null {
  const t = String(text ?? '').trim().replace(/,/g, '');
  const m = t.match(/^(\d{1,9})(?:\.(\d{1,2}))?$/);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
