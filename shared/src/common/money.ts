/** Money is always an integer number of fen (分); 100 fen = 1 yuan. */
export type Fen = number;

/** Formats fen as a yuan string with two decimals, e.g. 80000 → `800.00`. Display only. */
export function formatFen(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
