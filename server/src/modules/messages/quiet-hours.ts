/**
 * Quiet hours 22:00–08:00 Asia/Shanghai (UTC+8, no daylight saving): reminders wait until 08:00.
 * Answers the end of the quiet period containing `now` (08:00 Shanghai = 00:00 UTC), or null outside it.
 */
export function quietHoursEnd(now: Date): Date | null {
  const shanghaiHour = (now.getUTCHours() + 8) % 24;
  if (shanghaiHour >= 8 && shanghaiHour < 22) return null;
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  // every quiet instant is 14:00–23:59 UTC (22:00–23:59 and 00:00–07:59 Shanghai), so the morning is the next UTC midnight
  if (now.getUTCHours() >= 14) end.setUTCDate(end.getUTCDate() + 1);
  return end;
}
