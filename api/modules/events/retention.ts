/**
 * How long events are kept: the feed lists them, `GET /v1/events/{id}` answers them and the
 * delivery log shows their deliveries for this many days; the scheduler then deletes them, with
 * their deliveries and attempts (`deleteExpiredEvents`).
 */
export const EVENT_RETENTION_DAYS = 30;

/** The creation time of the oldest event still kept at `now`. */
export function eventsKeptSince(now: Date): Date {
  return new Date(now.getTime() - EVENT_RETENTION_DAYS * 86_400_000);
}
