import { COVERED_YEARS, HOLIDAYS, type Holiday, type RegionCode } from './holidays';
import { addDays, addMonths as addMonthsToDate } from './dates';

/** Raised whenever a computation touches a year without holiday data: never guess. */
export class CalendarUnavailableError extends Error {
  override name = 'CalendarUnavailableError';
  constructor(readonly year: number) {
    super(`No holiday data for ${year}`);
  }
}

export type SkipReason = 'saturday' | 'sunday' | 'national_holiday' | 'regional_holiday';
export interface SkippedDay {
  date: string;
  reason: SkipReason;
  name?: string;
}
export interface DeadlineResult {
  deadline: string;
  skipped: SkippedDay[];
  provisional: boolean;
}

const BY_DATE = new Map<string, Holiday[]>();
for (const h of HOLIDAYS) BY_DATE.set(h.date, [...(BY_DATE.get(h.date) ?? []), h]);

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const addCalendarDays = addDays;

function coverage(date: string): { provisional: boolean } {
  const year = Number(date.slice(0, 4));
  const covered = COVERED_YEARS[year];
  if (!covered) throw new CalendarUnavailableError(year);
  return covered;
}

/** Why a day does not count (null when it is a working day). */
export function nonWorkingReason(date: string, region?: RegionCode): SkippedDay | null {
  coverage(date);
  const holidays = BY_DATE.get(date) ?? [];
  const nationalDay = holidays.find((h) => h.scope === 'national');
  if (nationalDay) return { date, reason: 'national_holiday', name: nationalDay.name };
  const regionalDay = region ? holidays.find((h) => h.scope === 'regional' && h.regions?.includes(region)) : undefined;
  if (regionalDay) return { date, reason: 'regional_holiday', name: regionalDay.name };
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 6) return { date, reason: 'saturday' };
  if (weekday === 0) return { date, reason: 'sunday' };
  return null;
}

export function isBusinessDay(date: string, region?: RegionCode): boolean {
  return nonWorkingReason(date, region) === null;
}

/** The date itself when it is a working day, else the next one (e.g. filing on a Sunday). */
export function nextBusinessDay(date: string, region?: RegionCode): string {
  let current = date;
  while (!isBusinessDay(current, region)) current = addCalendarDays(current, 1);
  return current;
}

/** Días hábiles: counting starts the day after `from`; weekends and holidays do not count. */
export function addBusinessDays(from: string, n: number, region?: RegionCode): DeadlineResult {
  let provisional = coverage(from).provisional;
  const skipped: SkippedDay[] = [];
  let current = from;
  let counted = 0;
  while (counted < n) {
    current = addCalendarDays(current, 1);
    provisional ||= coverage(current).provisional;
    const reason = nonWorkingReason(current, region);
    if (reason) skipped.push(reason);
    else counted++;
  }
  return { deadline: current, skipped, provisional };
}

/** Months count date to date; a missing day is the month's last; a non-working end rolls forward. */
export function addMonths(from: string, n: number, region?: RegionCode): DeadlineResult {
  let current = addMonthsToDate(from, n);
  let provisional = coverage(from).provisional || coverage(current).provisional;
  const skipped: SkippedDay[] = [];
  for (let reason = nonWorkingReason(current, region); reason; reason = nonWorkingReason(current, region)) {
    skipped.push(reason);
    current = addCalendarDays(current, 1);
    provisional ||= coverage(current).provisional;
  }
  return { deadline: current, skipped, provisional };
}
