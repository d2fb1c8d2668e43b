-- Events are kept for 30 days: the scheduler then deletes them with their deliveries and those
-- deliveries' attempts (see `deleteExpiredEvents`).

-- A time-driven fact is emitted once because its event's dedupe key is taken; deleting the event
-- must not free the key, or the scheduler would emit the fact again (a presumed denial, an expired
-- requirement left unanswered). The keys are kept in a table of their own, which decides: an event
-- with a key is recorded only by the transaction that adds its key here. A key holds ids, no
-- personal data.
create table event_dedupe_keys (
  dedupe_key text primary key,
  created_at timestamptz not null
);
insert into event_dedupe_keys (dedupe_key, created_at)
select dedupe_key, created_at from events where dedupe_key is not null;

-- The purge finds the oldest events.
create index events_created_idx on events (created_at);

-- ... and their deliveries (deleting an event also checks that none refers to it). The unique
-- pair is kept, its columns swapped so that its index serves the lookup by event: one index, not two.
alter table webhook_deliveries add constraint webhook_deliveries_event_endpoint_key unique (event_id, endpoint_id);
alter table webhook_deliveries drop constraint webhook_deliveries_endpoint_id_event_id_key;
