import { yuanToFen } from '../common/money';
import type { ValidityKind } from './index';
/**
 * Pure rules of the vouchers module, shared by the mini-program forms and the server DTOs.
 * Validators return `null` when the value is valid, otherwise a Chinese message for the user.
 */

/** Characters of a unified social credit code, in value order 0–30 (GB 32100-2015: no I, O, S, V, Z). */
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Position weights of the first 17 characters: 3^(i) mod 31. */
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * The check character (18th) a unified social credit code's first 17 characters call for,
 * per GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 §4.3 / Annex: each character's value
 * (its index in `0-9 A-H J-N P-R T-U W-Y`) times the weight 3^i mod 31, summed; check value
 * = 31 − (sum mod 31), where 31 becomes 0. Returns null when a character is outside the set.
 */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARS.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * CREDIT_CODE_WEIGHTS[i];
  }
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31];
}

/**
 * Checks a business licence number, the 18-character unified social credit code (统一社会信用代码)
 * of GB 32100-2015: registration authority and organisation type (2 characters), the 6-digit
 * administrative division code, the 9-character organisation code, and the check character
 * computed by {@link creditCodeCheckChar}. Lower case is accepted; store it upper-cased.
 */
export function validateCreditCode(value: string): string | null {
  if (!value || !value.trim()) return '请填写统一社会信用代码';
  const code = value.trim().toUpperCase();
  if (code.length !== 18) return '统一社会信用代码应为18位';
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return '统一社会信用代码含有无效字符';
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return '统一社会信用代码校验位不正确，请核对';
  return null;
}

/** Largest single amount the forms accept: 10 million yuan in fen. */
export const MAX_AMOUNT_FEN = 1_000_000_000;

/**
 * Parses an amount typed in yuan (`128`, `128.5`, `128.50`) into integer fen, exactly (no floating
 * point): at most two decimals, positive, at most {@link MAX_AMOUNT_FEN}.
 * Returns `{ fen }` or `{ error }` with a Chinese message.
 */
export function parseYuanToFen(text: string): { fen: number; error?: undefined } | { fen?: undefined; error: string } {
  const t = (text ?? '').trim();
  if (!t) return { error: '请输入金额' };
  const fen = yuanToFen(t);
  if (fen === null) return { error: /^\d+\.\d{3,}$/.test(t) ? '金额最多保留两位小数' : '请输入正确的金额' };
  if (fen <= 0) return { error: '金额应大于0' };
  if (fen > MAX_AMOUNT_FEN) return { error: '金额过大' };
  return { fen };
}

/**
 * A campaign's vouchers must still be valid when the claim window closes: a fixed validity ending
 * before `claimEndAt` would let members claim vouchers that are already dead (and consume stock).
 * Relative validity (N ≥ 1 days from the claim) always outlasts the claim. Times are ISO strings or
 * Dates. Returns null when the rule holds, otherwise the Chinese message for the `validUntil` field.
 */
export function validateValidityCoversClaimWindow(c: { claimEndAt: string | Date; validityKind: ValidityKind; validUntil?: string | Date | null }): string | null {
  if (c.validityKind !== 'fixed' || !c.validUntil) return null;
  const until = new Date(c.validUntil).getTime();
  const claimEnd = new Date(c.claimEndAt).getTime();
  if (Number.isNaN(until) || Number.isNaN(claimEnd) || until >= claimEnd) return null;
  return '券的有效期结束时间不能早于领取结束时间，否则会员会领到已过期的券，请延长有效期或提前结束领取';
}

/** Whether a campaign's fixed validity is over at `now`: its vouchers could no longer be used, so none may be claimed. */
export function validityEnded(c: { validityKind: ValidityKind; validUntil?: string | Date | null }, now: Date): boolean {
  return c.validityKind === 'fixed' && !!c.validUntil && new Date(c.validUntil).getTime() <= now.getTime();
}

/** Great-circle distance in metres between two GCJ-02 points (haversine; GCJ-02 offsets cancel locally). */
export function distanceMetres(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return Math.round(6_371_000 * 2 * Math.asin(Math.min(1, Math.sqrt(a))));
}

/** A distance for display: `850米`, `1.2公里`. */
export function formatMerchantDistance(metres: number): string {
  return metres < 1000 ? `${Math.round(metres)}米` : `${(metres / 1000).toFixed(1)}公里`;
}
