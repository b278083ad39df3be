/**
 * Opening hours (营业时间) of a station and whether it is open at an instant, always in
 * Asia/Shanghai (UTC+8, no daylight saving since 1991) whatever the machine's time zone:
 * the instant is shifted by +8 h and read with UTC getters, so `process.env.TZ` never matters.
 *
 * Rules:
 * - `is24h`: open around the clock (closed dates and temporary closure still apply).
 * - Otherwise, per weekday a list of intervals `HH:mm-HH:mm`. An end ≤ start runs past midnight
 *   into the next day (`22:00-02:00`); end = start means 24 hours from the start.
 * - A closed date (`YYYY-MM-DD`, Shanghai calendar) cancels the intervals that START on it; the
 *   past-midnight tail of the previous evening's interval still runs (the night shift belongs to
 *   the day it began). With `is24h`, the whole closed date is closed.
 * - Status `temporarily_closed`: closed until the end of `closedUntil` (inclusive), or
 *   indefinitely when no date is set; open hours apply again from the next day.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_LABELS: Record<Weekday, string> = { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' };
/** At most this many intervals on one weekday. */
export const MAX_INTERVALS_PER_DAY = 4;
/** At most this many closed dates on a station. */
export const MAX_CLOSED_DATES = 60;

export interface OpeningHours {
  /** Open 24 hours on every day. */
  is24h: boolean;
  /** Intervals `HH:mm-HH:mm` per weekday; a missing or empty day is closed. Ignored when `is24h`. */
  weekly: Partial<Record<Weekday, string[]>>;
}

export type StationStatus = 'open' | 'temporarily_closed';
export const STATION_STATUSES: StationStatus[] = ['open', 'temporarily_closed'];
export const STATION_STATUS_LABELS: Record<StationStatus, string> = { open: '正常营业', temporarily_closed: '暂停营业' };

/** What {@link evaluateOpen} needs of a station. */
export interface OpeningRules {
  hours: OpeningHours;
  closedDates: string[];
  status: StationStatus;
  /** Last closed date `YYYY-MM-DD` (inclusive) while temporarily closed; null = until further notice. */
  closedUntil: string | null;
}

export type OpenReason = 'open' | 'closed_hours' | 'closed_date' | 'temporarily_closed';

export interface OpenState {
  open: boolean;
  reason: OpenReason;
  /** While open: the Shanghai time `HH:mm` it closes (24 h stations: null). */
  closesAt: string | null;
  /** Short Chinese label: `营业中`, `休息中`, `今日休息`, `暂停营业`. */
  label: string;
}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const INTERVAL = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Parses `HH:mm-HH:mm` into minutes since midnight; `24:00` is allowed as an end only. Null when malformed. */
export function parseInterval(text: string): { start: number; end: number } | null {
  const m = INTERVAL.exec(typeof text === 'string' ? text.trim() : '');
  if (!m) return null;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (end > 24 * 60) return null;
  return { start, end: end === 24 * 60 ? 0 : end };
}

/** Whether `s` is a real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(s: unknown): s is string {
  if (typeof s !== 'string' || !DATE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Validates opening hours; null when valid, else a Chinese message. */
export function validateOpeningHours(hours: unknown): string | null {
  if (!hours || typeof hours !== 'object') return '请填写营业时间';
  const h = hours as OpeningHours;
  if (typeof h.is24h !== 'boolean') return '请说明是否24小时营业';
  if (!h.weekly || typeof h.weekly !== 'object' || Array.isArray(h.weekly)) return '营业时间格式不正确';
  for (const [day, list] of Object.entries(h.weekly)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) return `未知的星期：${day}`;
    if (!Array.isArray(list)) return '营业时间格式不正确';
    if (list.length > MAX_INTERVALS_PER_DAY) return `每天最多${MAX_INTERVALS_PER_DAY}个营业时段`;
    for (const iv of list) {
      if (!parseInterval(iv)) return `${WEEKDAY_LABELS[day as Weekday]}的时段「${String(iv)}」格式应为 08:00-20:00`;
    }
  }
  return null;
}

/** Validates a list of closed dates; null when valid. */
export function validateClosedDates(dates: unknown): string | null {
  if (!Array.isArray(dates)) return '休息日期格式不正确';
  if (dates.length > MAX_CLOSED_DATES) return `休息日期最多${MAX_CLOSED_DATES}个`;
  for (const d of dates) if (!isCalendarDate(d)) return `休息日期「${String(d)}」应为 YYYY-MM-DD`;
  return null;
}

/** The Asia/Shanghai calendar date, weekday and minute of day of an instant. */
export function shanghaiClock(at: Date | number): { date: string; weekday: Weekday; minute: number } {
  const d = new Date((typeof at === 'number' ? at : at.getTime()) + SHANGHAI_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`,
    weekday: WEEKDAYS[(d.getUTCDay() + 6) % 7],
    minute: d.getUTCHours() * 60 + d.getUTCMinutes(),
  };
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Whether a station is open at `at` (default now), by the rules in this file's header. */
export function evaluateOpen(rules: OpeningRules, at: Date | number = Date.now()): OpenState {
  const ms = typeof at === 'number' ? at : at.getTime();
  const today = shanghaiClock(ms);
  const yesterday = shanghaiClock(ms - 24 * 3600 * 1000);
  const closed = new Set(rules.closedDates ?? []);
  if (rules.status === 'temporarily_closed' && (!rules.closedUntil || today.date <= rules.closedUntil)) {
    return { open: false, reason: 'temporarily_closed', closesAt: null, label: '暂停营业' };
  }
  if (rules.hours.is24h) {
    if (closed.has(today.date)) return { open: false, reason: 'closed_date', closesAt: null, label: '今日休息' };
    return { open: true, reason: 'open', closesAt: null, label: '营业中' };
  }
  const m = today.minute;
  // yesterday's interval running past midnight
  if (!closed.has(yesterday.date)) {
    for (const text of rules.hours.weekly[yesterday.weekday] ?? []) {
      const iv = parseInterval(text);
      if (iv && iv.end <= iv.start && m < iv.end) return { open: true, reason: 'open', closesAt: hhmm(iv.end), label: '营业中' };
    }
  }
  if (closed.has(today.date)) return { open: false, reason: 'closed_date', closesAt: null, label: '今日休息' };
  for (const text of rules.hours.weekly[today.weekday] ?? []) {
    const iv = parseInterval(text);
    if (!iv) continue;
    const inside = iv.end > iv.start ? m >= iv.start && m < iv.end : m >= iv.start;
    if (inside) return { open: true, reason: 'open', closesAt: hhmm(iv.end), label: '营业中' };
  }
  return { open: false, reason: 'closed_hours', closesAt: null, label: '休息中' };
}

/**
 * The text form of opening hours used in CSV files: `24h`, or `;`-separated groups of
 * `<days> <interval>[,<interval>…]` where days are `mon`…`sun`, ranges `mon-fri` or lists `sat,sun`:
 * `mon-fri 08:00-20:00; sat,sun 09:00-12:00,14:00-18:00`. Days not named are closed.
 */
export function formatHoursText(hours: OpeningHours): string {
  if (hours.is24h) return '24h';
  const groups: Array<{ days: Weekday[]; key: string }> = [];
  for (const day of WEEKDAYS) {
    const list = hours.weekly[day] ?? [];
    if (!list.length) continue;
    const key = list.join(',');
    const last = groups[groups.length - 1];
    if (last && last.key === key && WEEKDAYS.indexOf(last.days[last.days.length - 1]) === WEEKDAYS.indexOf(day) - 1) last.days.push(day);
    else groups.push({ days: [day], key });
  }
  return groups.map((g) => `${g.days.length > 2 ? `${g.days[0]}-${g.days[g.days.length - 1]}` : g.days.join(',')} ${g.key}`).join('; ');
}

/** Parses {@link formatHoursText}'s form. @returns the hours, or a Chinese error message. */
export function parseHoursText(text: string): OpeningHours | string {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '24h' || t === '24小时') return { is24h: true, weekly: {} };
  if (!t) return '请填写营业时间';
  const weekly: Partial<Record<Weekday, string[]>> = {};
  for (const group of t.split(';').map((g) => g.trim()).filter(Boolean)) {
    const m = /^([a-z,-]+)\s+(\S+)$/.exec(group);
    if (!m) return `营业时间「${group}」格式应为 mon-fri 08:00-20:00`;
    const days: Weekday[] = [];
    for (const part of m[1].split(',')) {
      const [a, b] = part.split('-') as [Weekday, Weekday | undefined];
      const i = WEEKDAYS.indexOf(a);
      const j = b === undefined ? i : WEEKDAYS.indexOf(b);
      if (i < 0 || j < 0 || j < i) return `营业时间中的星期「${part}」无效`;
      for (let k = i; k <= j; k++) days.push(WEEKDAYS[k]);
    }
    const intervals = m[2].split(',');
    for (const iv of intervals) if (!parseInterval(iv)) return `营业时段「${iv}」格式应为 08:00-20:00`;
    for (const d of days) weekly[d] = [...(weekly[d] ?? []), ...intervals];
  }
  const hours: OpeningHours = { is24h: false, weekly };
  return validateOpeningHours(hours) ?? hours;
}

/** One line per weekday for display: `周一 08:00-20:00`, `周六 休息`, or `24小时营业`. */
export function describeHours(hours: OpeningHours): string[] {
  if (hours.is24h) return ['24小时营业'];
  return WEEKDAYS.map((d) => {
    const list = hours.weekly[d] ?? [];
    return `${WEEKDAY_LABELS[d]} ${list.length ? list.map((iv) => {
      const p = parseInterval(iv);
      return p && p.end <= p.start ? `${iv}（次日）` : iv;
    }).join('、') : '休息'}`;
  });
}
