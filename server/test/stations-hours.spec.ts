import { describeHours, evaluateOpen, formatHoursText, OpeningRules, parseHoursText, shanghaiClock, validateOpeningHours } from '@union/shared';

/** Instants are given as Shanghai wall-clock times; the tests also run under TZ=America/New_York and TZ=UTC. */
const sh = (local: string) => new Date(`${local}+08:00`);
const rules = (over: Partial<OpeningRules> = {}): OpeningRules => ({
  hours: { is24h: false, weekly: { mon: ['08:00-20:00'], tue: ['08:00-12:00', '14:00-18:00'], fri: ['22:00-02:00'], sat: ['09:00-09:00'] } },
  closedDates: [],
  status: 'open',
  closedUntil: null,
  ...over,
});
// 2025-03-03 is a Monday.

import { spawn } from 'child_process';

/** The zone this run was started in: the parent run starts children under other zones (below). */
const ZONE = process.env.TZ || 'system default';

describe(`opening hours in Asia/Shanghai (process TZ=${ZONE})`, () => {
  it('runs in the zone it was told', () => {
    const offsets: Record<string, number> = { UTC: 0, 'America/New_York': 300, 'Asia/Shanghai': -480, 'Pacific/Kiritimati': -840 };
    if (process.env.TZ && process.env.TZ in offsets) expect(new Date('2025-01-15T12:00:00Z').getTimezoneOffset()).toBe(offsets[process.env.TZ]);
  });

  it('reads the Shanghai clock whatever the process time zone', () => {
    expect(shanghaiClock(new Date('2025-03-02T16:30:00Z'))).toEqual({ date: '2025-03-03', weekday: 'mon', minute: 30 });
    expect(shanghaiClock(sh('2025-03-09T23:59'))).toEqual({ date: '2025-03-09', weekday: 'sun', minute: 23 * 60 + 59 });
  });

  it('is open inside an interval and closed at its end', () => {
    expect(evaluateOpen(rules(), sh('2025-03-03T07:59')).open).toBe(false);
    expect(evaluateOpen(rules(), sh('2025-03-03T08:00'))).toEqual({ open: true, reason: 'open', closesAt: '20:00', label: '营业中' });
    expect(evaluateOpen(rules(), sh('2025-03-03T19:59')).open).toBe(true);
    expect(evaluateOpen(rules(), sh('2025-03-03T20:00'))).toMatchObject({ open: false, reason: 'closed_hours', label: '休息中' });
    expect(evaluateOpen(rules(), sh('2025-03-04T13:00')).open).toBe(false);
    expect(evaluateOpen(rules(), sh('2025-03-04T14:30')).closesAt).toBe('18:00');
    expect(evaluateOpen(rules(), sh('2025-03-05T10:00')).open).toBe(false); // Wednesday: no hours
  });

  it('runs an interval past midnight into the next day', () => {
    expect(evaluateOpen(rules(), sh('2025-03-07T21:59')).open).toBe(false); // Friday before
    expect(evaluateOpen(rules(), sh('2025-03-07T23:00'))).toMatchObject({ open: true, closesAt: '02:00' });
    expect(evaluateOpen(rules(), sh('2025-03-08T01:59')).open).toBe(true); // Saturday small hours
    expect(evaluateOpen(rules(), sh('2025-03-08T02:00')).open).toBe(false);
    expect(evaluateOpen(rules(), sh('2025-03-07T01:00')).open).toBe(false); // Thursday had no night shift
  });

  it('treats end = start as 24 hours from the start', () => {
    expect(evaluateOpen(rules(), sh('2025-03-08T09:00')).open).toBe(true);
    expect(evaluateOpen(rules(), sh('2025-03-08T23:59')).open).toBe(true);
    expect(evaluateOpen(rules(), sh('2025-03-09T08:59')).open).toBe(true);
    expect(evaluateOpen(rules(), sh('2025-03-09T09:00')).open).toBe(false);
  });

  it('is open around the clock when 24h, except on closed dates', () => {
    const r = rules({ hours: { is24h: true, weekly: {} }, closedDates: ['2025-03-05'] });
    expect(evaluateOpen(r, sh('2025-03-04T03:00'))).toEqual({ open: true, reason: 'open', closesAt: null, label: '营业中' });
    expect(evaluateOpen(r, sh('2025-03-05T00:00'))).toMatchObject({ open: false, reason: 'closed_date', label: '今日休息' });
    expect(evaluateOpen(r, sh('2025-03-05T23:59')).open).toBe(false);
    expect(evaluateOpen(r, sh('2025-03-06T00:00')).open).toBe(true);
    expect(evaluateOpen(rules({ hours: { is24h: false, weekly: { mon: ['00:00-24:00'] } } }), sh('2025-03-03T23:59')).open).toBe(true);
  });

  it('closes intervals that start on a closed date, keeping the previous night shift', () => {
    expect(evaluateOpen(rules({ closedDates: ['2025-03-03'] }), sh('2025-03-03T10:00')).reason).toBe('closed_date');
    // Friday the 7th closed: no shift that evening, and so nothing in Saturday's small hours
    const fri = rules({ closedDates: ['2025-03-07'] });
    expect(evaluateOpen(fri, sh('2025-03-07T23:00')).open).toBe(false);
    expect(evaluateOpen(fri, sh('2025-03-08T01:00')).open).toBe(false);
    // Saturday the 8th closed: Friday's shift still runs until 02:00
    const sat = rules({ closedDates: ['2025-03-08'] });
    expect(evaluateOpen(sat, sh('2025-03-08T01:00')).open).toBe(true);
    expect(evaluateOpen(sat, sh('2025-03-08T10:00')).reason).toBe('closed_date');
  });

  it('stays closed while temporarily closed, through the until date inclusive', () => {
    const r = rules({ status: 'temporarily_closed', closedUntil: '2025-03-03' });
    expect(evaluateOpen(r, sh('2025-03-03T10:00'))).toMatchObject({ open: false, reason: 'temporarily_closed', label: '暂停营业' });
    expect(evaluateOpen(r, sh('2025-03-04T09:00')).open).toBe(true);
    expect(evaluateOpen(rules({ status: 'temporarily_closed', closedUntil: null }), sh('2030-03-04T09:00')).open).toBe(false);
    expect(evaluateOpen(rules({ status: 'temporarily_closed', hours: { is24h: true, weekly: {} } }), sh('2025-03-04T09:00')).open).toBe(false);
  });

  it('uses Shanghai days across the UTC date line of the day', () => {
    // 2025-03-03 23:30 UTC is Tuesday 07:30 in Shanghai: closed (Tuesday opens at 08:00)
    expect(evaluateOpen(rules(), new Date('2025-03-03T23:30:00Z')).open).toBe(false);
    // 2025-03-03 00:30 UTC is Monday 08:30 in Shanghai: open
    expect(evaluateOpen(rules(), new Date('2025-03-03T00:30:00Z')).open).toBe(true);
  });

  it('validates, formats and parses the CSV text form', () => {
    expect(validateOpeningHours({ is24h: false, weekly: { mon: ['8:00-20:00'] } })).toMatch(/格式/);
    expect(validateOpeningHours({ is24h: false, weekly: { xyz: [] } })).toMatch(/星期/);
    expect(validateOpeningHours({ is24h: false, weekly: { mon: ['08:00-25:00'] } })).not.toBeNull();
    expect(validateOpeningHours(rules().hours)).toBeNull();
    const hours = { is24h: false, weekly: { mon: ['08:00-20:00'], tue: ['08:00-20:00'], wed: ['08:00-20:00'], sat: ['09:00-12:00', '22:00-02:00'], sun: ['09:00-12:00', '22:00-02:00'] } };
    expect(formatHoursText(hours)).toBe('mon-wed 08:00-20:00; sat,sun 09:00-12:00,22:00-02:00');
    expect(parseHoursText(formatHoursText(hours))).toEqual(hours);
    expect(parseHoursText('24h')).toEqual({ is24h: true, weekly: {} });
    expect(parseHoursText('mon-xyz 08:00-20:00')).toMatch(/星期/);
    expect(parseHoursText('mon 8-20')).toMatch(/时段/);
    expect(describeHours(hours)[5]).toBe('周六 09:00-12:00、22:00-02:00（次日）');
  });
});

/** The same suite again in child processes whose time zone is far from Shanghai's (Node reads TZ at start). */
const parentOnly = process.env.STATIONS_HOURS_CHILD ? describe.skip : describe;
parentOnly('opening hours do not depend on the server time zone', () => {
  it.each(['UTC', 'America/New_York', 'Pacific/Kiritimati'])('passes with TZ=%s', async (tz) => {
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), '--runInBand', 'test/stations-hours.spec.ts'], {
        cwd: `${__dirname}/..`, env: { ...process.env, TZ: tz, STATIONS_HOURS_CHILD: '1' }, stdio: 'ignore',
      });
      child.on('exit', (c) => resolve(c ?? 1));
    });
    expect(code).toBe(0);
  }, 60_000);
});
