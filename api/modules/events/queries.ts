import { limitRows, type OrganizationOwner, ownedById } from '../../db/fragments';
import type { Sql } from '../../db/sql';

/**
 * Delivery workers LISTEN on this channel; a transaction that queues deliveries NOTIFYs it, and
 * PostgreSQL sends the notification when (and only if) that transaction commits, so an idle
 * worker wakes as the event becomes visible. Workers still poll (the embedded database and
 * Hyperdrive cannot listen, and retries come due by the clock).
 */
export const DELIVERIES_CHANNEL = 'puente_deliveries';

export interface EventRow {
  seq: string;
  id: string;
  organization_id: string;
  livemode: boolean;
  type: string;
  data: Record<string, unknown>;
  created_at: Date;
}

/**
 * Writes the event and one pending delivery per enabled endpoint that wants it, in the caller's
 * transaction: the change and its notification commit together or not at all.
 */
export async function insertEvent(
  sql: Sql,
  e: {
    id: string;
    organizationId: string;
    livemode: boolean;
    type: string;
    data: Record<string, unknown>;
    dedupeKey: string | null;
    at: Date;
  },
  deliveryId: () => string,
): Promise<boolean> {
  // The event and the endpoints it is for in one round trip; none when the dedupe key was taken.
  const [row] = await sql<{ inserted: boolean; endpoints: string[] }[]>`
    with inserted as (
      insert into events (id, organization_id, livemode, type, data, dedupe_key, created_at)
      values (${e.id}, ${e.organizationId}, ${e.livemode}, ${e.type}, ${sql.json(e.data as never)}, ${e.dedupeKey}, ${e.at})
      on conflict (dedupe_key) do nothing
      returning id
    )
    select exists (select 1 from inserted) as inserted, array(
      select w.id from webhook_endpoints w
      where exists (select 1 from inserted)
        and w.organization_id = ${e.organizationId} and w.livemode = ${e.livemode} and w.enabled and w.deleted_at is null
        and (cardinality(w.event_types) = 0 or ${e.type} = any(w.event_types) or ${e.type.split('.')[0] + '.*'} = any(w.event_types))
      order by w.id) as endpoints`;
  if (!row!.inserted) return false;
  if (row!.endpoints.length === 0) return true;
  const deliveries = row!.endpoints.map((endpointId) => ({
    id: deliveryId(),
    endpoint_id: endpointId,
    event_id: e.id,
    next_attempt_at: e.at,
    created_at: e.at,
  }));
  await sql`
    with queued as (
      insert into webhook_deliveries ${sql(deliveries as never, 'id', 'endpoint_id', 'event_id', 'next_attempt_at', 'created_at')}
      returning 1
    )
    select pg_notify(${DELIVERIES_CHANNEL}, '') from (select 1 from queued limit 1) q`;
  return true;
}

export function listEvents(
  sql: Sql,
  args: { organizationId: string; livemode: boolean; type?: string; since: Date; afterSeq?: string; limit: number },
): Promise<EventRow[]> {
  return sql<EventRow[]>`
    select seq::text as seq, id, organization_id, livemode, type, data, created_at from events
    where organization_id = ${args.organizationId} and livemode = ${args.livemode} and created_at >= ${args.since}
      ${args.type ? (args.type.endsWith('.*') ? sql`and type like ${args.type.slice(0, -1) + '%'}` : sql`and type = ${args.type}`) : sql``}
      ${args.afterSeq ? sql`and seq > ${args.afterSeq}::bigint` : sql``}
    order by seq
    ${limitRows(sql, args.limit + 1)}`;
}

export async function findEvent(sql: Sql, owner: OrganizationOwner, id: string): Promise<EventRow | undefined> {
  const [row] = await sql<EventRow[]>`
    select seq::text as seq, id, organization_id, livemode, type, data, created_at from events
    ${ownedById(sql, 'events', { id, organizationId: owner.organizationId, livemode: owner.livemode })}`;
  return row;
}
