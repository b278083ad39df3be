/**
 * The one rule for free text, shared by the server (every DTO string field, through the global
 * validation pipe and `@SafeText`) and the mini-program forms.
 *
 * Refused everywhere: C0 controls (U+0000–U+001F, except TAB, LF and CR in multi-line fields),
 * DEL (U+007F), C1 controls (U+0080–U+009F), the bidirectional controls that can make text display
 * in an order other than the stored one (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069;
 * the "Trojan Source" attack, CVE-2021-42574), lone UTF-16 surrogates (not storable as UTF-8) and,
 * in single-line fields, the line and paragraph separators U+2028/U+2029.
 * Lengths are counted in Unicode code points, as MySQL counts `VARCHAR(n)` characters in utf8mb4.
 */

/** Forbidden in every field. */
const ALWAYS_UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|\p{Surrogate}/u;
/** Forbidden in single-line fields in addition. */
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/;

/** Everything a stored file name loses: every control and bidi character above, plus path separators and characters Windows forbids. */
const FILE_NAME_UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029/\\:*?"<>|]|\p{Surrogate}/gu;

/** Message shown when a field holds a refused character. */
export const UNSAFE_TEXT_MESSAGE = '不能包含控制字符或文字方向控制符';

/** Number of Unicode code points (`'𠀀'` counts 1, `'❤️'` counts 2), the unit of MySQL `VARCHAR(n)` lengths. */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/**
 * The first refused code point in `value` (see the module comment), or `null` when the text is safe.
 * `multiline` allows TAB, LF and CR (text areas send CRLF) and U+2028/U+2029.
 */
export function findUnsafeChar(value: string, multiline = false): number | null {
  const m = ALWAYS_UNSAFE.exec(value) ?? (multiline ? null : LINE_BREAKS.exec(value));
  return m ? m[0].codePointAt(0)! : null;
}

/** Options of {@link validateSafeText}: bounds in code points. */
export interface SafeTextOptions {
  /** Longest accepted value, in code points (required: every free-text field is bounded). */
  maxLength: number;
  /** Shortest accepted value, in code points (default 0). */
  minLength?: number;
  /** Whether line breaks (LF, CR, TAB, U+2028/9) are allowed, e.g. in an account or a description. */
  multiline?: boolean;
}

/**
 * Checks free text: safe characters ({@link findUnsafeChar}) and a length in code points.
 * Returns `null` when valid, else a Chinese message (without the field's label).
 */
export function validateSafeText(value: string, options: SafeTextOptions): string | null {
  if (findUnsafeChar(value, options.multiline) !== null) return UNSAFE_TEXT_MESSAGE;
  const n = codePointLength(value);
  const min = options.minLength ?? 0;
  if (n < min || n > options.maxLength) return min > 0 ? `长度应为${min}至${options.maxLength}个字` : `最长${options.maxLength}个字`;
  return null;
}

/**
 * A client-supplied file name made safe to store and show: directories dropped, control, bidi and
 * path characters removed, surrounding spaces and dots trimmed, at most `maxLength` code points
 * (keeping the end, where the extension is). Returns `fallback` when nothing is left.
 */
export function sanitizeFileName(name: string, fallback: string, maxLength = 100): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(FILE_NAME_UNSAFE, '').trim().replace(/^[.\s]+/, '');
  const chars = Array.from(clean);
  const kept = chars.length > maxLength ? chars.slice(-maxLength).join('') : clean;
  return kept || fallback;
}
