/** Plain `YYYY-MM-DD` date arithmetic in UTC, with no notion of holidays. */

/**
 * The years a date or an instant given to the API may fall in (in UTC): PostgreSQL has no year 0,
 * and ISO 8601 without an expansion writes years with four digits. Every date and timestamp input
 * is held to it (see `isIsoDate`, `isInstantInRange`), so none reaches a query that would refuse it.
 */
export const FIRST_YEAR = 1;
export const LAST_YEAR = 9999;

/** An instant whose UTC year is one the API accepts (see `FIRST_YEAR`). */
export function isInstantInRange(at: Date): boolean {
  const year = at.getUTCFullYear();
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

/** A real calendar day written `YYYY-MM-DD`, in the years the API accepts (see `FIRST_YEAR`). */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && isInstantInRange(d) && d.toISOString().slice(0, 10) === s;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function addDays(date: string, n: number): string {
  // The day after, without a Date: counting a term walks day by day, on every read of a procedure.
  if (n === 1) {
    const year = Number(date.slice(0, 4));
    const month = Number(date.slice(5, 7));
    const day = Number(date.slice(8, 10));
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const last = (DAYS_IN_MONTH[month - 1] ?? 0) + (month === 2 && leap ? 1 : 0);
    if (date.length === 10 && day >= 1 && day <= last) {
      if (day < last) return `${date.slice(0, 8)}${day < 9 ? '0' : ''}${day + 1}`;
      return month < 12 ? `${date.slice(0, 5)}${month < 9 ? '0' : ''}${month + 1}-01` : `${year + 1}-01-01`;
    }
  }
  return isoDay(new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000));
}

/** Days from `from` to `until` (dates, `until` excluded): 0 when they are the same day. */
export function daysBetween(from: string, until: string): number {
  return Math.round((Date.parse(`${until}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
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
