import type { Sql } from '../../db/sql';
import type { MetricsSample } from '../../lib/metrics';

/** The gauges every instance reports alike, read from the database at scrape time. */
export async function sampleMetrics(sql: Sql, now: Date): Promise<MetricsSample> {
  const [outbox] = await sql<{ backlog: number; oldest: Date | null }[]>`
    select count(*)::int as backlog, min(e.created_at) as oldest
    from webhook_deliveries d join events e on e.id = d.event_id
    where d.status = 'pending'`;
  const [connections] = await sql<{ in_use: number; waiting: number }[]>`
    select count(*) filter (where state in ('active', 'idle in transaction'))::int as in_use,
           count(*) filter (where wait_event_type = 'Lock')::int as waiting
    from pg_stat_activity
    where datname = current_database() and application_name = 'puente' and pid <> pg_backend_pid()`;
  return {
    outboxBacklog: outbox?.backlog ?? 0,
    oldestUndeliveredSeconds: outbox?.oldest
      ? Math.max(0, (now.getTime() - new Date(outbox.oldest).getTime()) / 1000)
      : 0,
    connectionsInUse: connections?.in_use ?? 0,
    connectionsWaiting: connections?.waiting ?? 0,
  };
}
