import type { Clock } from './clock';

const MADRID = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Madrid',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The legal calendar day of an instant: the date in Europe/Madrid, where the registry and the
 * deciding bodies keep time. 23:30 UTC on 30 June is already 1 July. Every "today" in the API,
 * the scheduler and the citizen pages comes from here.
 */
export function legalDay(instant: Date): string {
  // Every request asks at least twice; Madrid's offsets are whole hours, so a day never changes
  // within a minute and the last minute's answer is reused.
  const minute = Math.floor(instant.getTime() / 60_000);
  if (minute !== last.minute) last = { minute, day: MADRID.format(instant) };
  return last.day;
}

let last = { minute: Number.NaN, day: '' };

/**
 * The instant legal day `day` (`YYYY-MM-DD`) begins: midnight in Madrid, which is 22:00 UTC the
 * evening before in summer time and 23:00 UTC in winter time (the clocks change at night, never
 * at midnight). A day ends when the next one begins.
 */
export function legalDayStart(day: string): Date {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const summer = new Date(utcMidnight - 2 * 3_600_000);
  return MADRID.format(summer) === day ? summer : new Date(utcMidnight - 3_600_000);
}

export function legalToday(clock: Clock): string {
  return legalDay(clock.now());
}

/**
 * The last legal day before instant `end`: the day on which what ends at `end` can last be done
 * (something that ends at midnight in Madrid ends with the day before).
 */
export function lastLegalDayBefore(end: Date): string {
  return legalDay(new Date(end.getTime() - 1));
}
