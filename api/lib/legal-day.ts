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

export function legalToday(clock: Clock): string {
  return legalDay(clock.now());
}
