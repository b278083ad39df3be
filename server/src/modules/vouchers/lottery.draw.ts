import { createHash } from 'crypto';
import { LOTTERY_ALGORITHM } from '@union/shared';

/** One entry of the published registration list. */
export interface DrawEntry { id: string; weight: number }
/** Stock of one voucher type at the draw. */
export interface DrawStock { voucherTypeId: number; quantity: number }
/** A winner in draw order. */
export interface DrawWinner { id: string; voucherTypeId: number; rank: number }

export { LOTTERY_ALGORITHM };

/**
 * The numerator m of a registration's uniform u = m / 2^65 in (0, 1): m = 2n + 1 with n the first 8 bytes (big-endian)
 * of SHA-256(UTF-8 `seed + ":" + id)`. Odd, so u is never 0 or 1.
 */
export function uniformNumerator(seed: string, id: string): bigint {
  const h = createHash('sha256').update(`${seed}:${id}`, 'utf8').digest();
  return 2n * h.readBigUInt64BE(0) + 1n;
}

/**
 * Ranks registrations by Efraimidis–Spirakis keys u^(1/weight), highest first, without floating point:
 * a before b ⇔ u_a^(w_b) > u_b^(w_a) ⇔ m_a^(w_b) · 2^(65·w_a) > m_b^(w_a) · 2^(65·w_b). Ties (practically impossible)
 * by id ascending. Weights are positive integers.
 */
export function rankEntries(seed: string, entries: DrawEntry[]): DrawEntry[] {
  const keyed = entries.map((e) => ({ e, m: uniformNumerator(seed, e.id), w: BigInt(e.weight) }));
  keyed.sort((a, b) => {
    const left = a.m ** b.w << (65n * a.w);
    const right = b.m ** a.w << (65n * b.w);
    if (left !== right) return left > right ? -1 : 1;
    return a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0;
  });
  return keyed.map((k) => k.e);
}

/**
 * The draw (algorithm {@link LOTTERY_ALGORITHM}): ranks the registrations and walks the ranked list, giving each one
 * voucher of the first type in `stock` order that has any left, until the stock or the list runs out.
 */
export function drawWinners(seed: string, entries: DrawEntry[], stock: DrawStock[]): DrawWinner[] {
  const ranked = rankEntries(seed, entries);
  const left = stock.map((s) => ({ ...s }));
  const winners: DrawWinner[] = [];
  for (const e of ranked) {
    const type = left.find((s) => s.quantity > 0);
    if (!type) break;
    type.quantity--;
    winners.push({ id: e.id, voucherTypeId: type.voucherTypeId, rank: winners.length + 1 });
  }
  return winners;
}
