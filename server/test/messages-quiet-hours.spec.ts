import { quietHoursEnd } from '../src/modules/messages/quiet-hours';

/** Quiet hours 22:00–08:00 Asia/Shanghai (UTC+8): reminders written then wait until 08:00 (00:00 UTC). */
describe('quiet hours', () => {
  const at = (iso: string) => quietHoursEnd(new Date(iso))?.toISOString() ?? null;
  it.each([
    ['2026-12-02T13:59:59Z', null], // 21:59:59 Shanghai
    ['2026-12-02T14:00:00Z', '2026-12-03T00:00:00.000Z'], // 22:00 Shanghai → 08:00 next morning
    ['2026-12-02T15:59:00Z', '2026-12-03T00:00:00.000Z'], // 23:59
    ['2026-12-02T16:00:00Z', '2026-12-03T00:00:00.000Z'], // 00:00 Shanghai on the 3rd
    ['2026-12-02T23:59:59Z', '2026-12-03T00:00:00.000Z'], // 07:59:59
    ['2026-12-03T00:00:00Z', null], // 08:00
    ['2026-12-31T15:00:00Z', '2027-01-01T00:00:00.000Z'], // 23:00 on New Year's Eve
  ])('%s → %s', (now, end) => expect(at(now)).toBe(end));
});
