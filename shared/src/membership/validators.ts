/**
 * Validators that run on both sides (mini-program form and server DTOs).
 * Each returns `null` when the value is valid, otherwise a Chinese message for the user.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** Minimum age to join a union (years), per the membership rules. */
export const MIN_MEMBER_AGE = 16;

/**
 * Checks an 18-character citizen ID number by GB 11643-1999 (公民身份号码):
 * 17 digits then a check character from ISO 7064 MOD 11-2 (digit or `X`),
 * a real birth date (YYYYMMDD at positions 7–14) not in the future,
 * and an age of at least {@link MIN_MEMBER_AGE} on `today`.
 * A lowercase `x` is accepted; callers should upper-case before storing.
 */
export function validateIdNumber(value: string, today: Date = new Date()): string | null {
  if (!value) return '请填写身份证号';
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号应为18位（最后一位可为X）';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) {
    return '身份证号中的出生日期无效';
  }
  if (birth.getTime() > today.getTime()) return '身份证号中的出生日期无效';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i];
  if (ID_CHECK_CHARS[sum % 11] !== id[17]) return '身份证号校验位不正确，请核对';
  if (ageOn(y, m, d, today) < MIN_MEMBER_AGE) return `未满${MIN_MEMBER_AGE}周岁，暂不能入会`;
  return null;
}

/** The check character an ID number's first 17 digits call for (GB 11643, ISO 7064 MOD 11-2). */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

function ageOn(y: number, m: number, d: number, today: Date): number {
  // Compare in Asia/Shanghai calendar terms (UTC+8).
  const t = new Date(today.getTime() + 8 * 3600 * 1000);
  let age = t.getUTCFullYear() - y;
  if (t.getUTCMonth() + 1 < m || (t.getUTCMonth() + 1 === m && t.getUTCDate() < d)) age--;
  return age;
}

/** Checks a mainland China mobile number: 11 digits starting 13–19. */
export function validateMobile(value: string): string | null {
  if (!value) return '请填写手机号';
  if (!/^1[3-9]\d{9}$/.test(value.trim())) return '手机号应为11位大陆手机号';
  return null;
}

/** Longest accepted person name, in code points (the name columns are `VARCHAR(64)` utf8mb4). */
export const MAX_PERSON_NAME_LENGTH = 30;

/**
 * Separators a name may hold between its parts: the middle dot U+00B7 of ID cards (阿卜杜·热合曼),
 * the bullet U+2022 and the katakana middle dot U+30FB that Chinese input methods often type
 * for it, and a single space (Latin-script names).
 */
export const PERSON_NAME_SEPARATORS = '\u00B7\u2022\u30FB ';

/**
 * Parts separated by one separator. A part: CJK ideographs of every block and extension (U+3400 Ext A `䶮`, U+20000 Ext B `𠀀`, … ,
 * compatibility ideographs, `〇`) — Han-script code points that are ideographic, so radicals and strokes are
 * not — or Latin letters. A literal, not `new RegExp`, so a build for older engines can transpile the property escapes.
 */
const NAME_RULE = /^(?:(?=\p{Ideographic})\p{Script=Han}|[A-Za-z])+(?:[\u00B7\u2022\u30FB ](?:(?=\p{Ideographic})\p{Script=Han}|[A-Za-z])+)*$/u;

/**
 * Checks a person's real name (after trimming): 2–{@link MAX_PERSON_NAME_LENGTH} code points of CJK
 * ideographs (any extension, counted by code point) or Latin letters, parts separated by one
 * {@link PERSON_NAME_SEPARATORS} character (no leading, trailing or doubled separator).
 * Used by every form and DTO that takes a person's name.
 */
export function validatePersonName(value: string): string | null {
  if (typeof value !== 'string' || !value.trim()) return '请填写姓名';
  const v = value.trim();
  const n = Array.from(v).length;
  if (n < 2 || n > MAX_PERSON_NAME_LENGTH) return `姓名应为2至${MAX_PERSON_NAME_LENGTH}个字`;
  if (NAME_RULE.test(v)) return null;
  if (/^(?:(?=\p{Ideographic})\p{Script=Han}|[A-Za-z\u00B7\u2022\u30FB ])+$/u.test(v)) return '间隔号只能用在姓名的两部分之间';
  return '姓名只能包含汉字、字母或间隔号';
}
