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

const MADRID_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The legal day of an instant: its calendar date in Europe/Madrid, where the Seguridad Social's
 * electronic office keeps time. A filing at 23:30 UTC in summer is already the next day. Every
 * "today" of a legal question comes from here, never from a UTC date.
 */
export function legalDay(at: Date): string {
  return MADRID_DAY.format(at);
}
