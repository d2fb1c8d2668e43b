/** Plain `YYYY-MM-DD` date arithmetic in UTC, with no notion of holidays. */

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return isoDay(new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000));
}

/** Date to date; when the target month is shorter, its last day (Ley 39/2015, art. 30.4). */
export function addMonths(date: string, n: number): string {
  const start = new Date(`${date}T00:00:00Z`);
  const monthIndex = start.getUTCMonth() + n;
  const year = start.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return isoDay(new Date(Date.UTC(year, month, Math.min(start.getUTCDate(), lastDay))));
}
