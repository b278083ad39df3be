/** All times travel as ISO-8601 strings in UTC; the UI shows them in this zone. */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000; // China has no daylight saving time since 1991

/** Formats an ISO instant as `YYYY-MM-DD HH:mm` in Asia/Shanghai (UTC+8, no DST). */
export function formatShanghai(iso: string | Date, withTime = true): string {
  const d = new Date(new Date(iso).getTime() + SHANGHAI_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
  return withTime ? `${date} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}` : date;
}

/** The calendar date `YYYY-MM-DD` of an instant in Asia/Shanghai. */
export function shanghaiDate(iso: string | Date): string {
  return formatShanghai(iso, false);
}
