-- The event feed in the order events become visible, so a poller's cursor never passes one.
--
-- `seq` is taken when a row is inserted, but transactions commit in their own order: an event
-- inserted first (seq 100) by a transaction that commits last is invisible when a poller reads
-- seq 101 and keeps it as its cursor, and `seq > 101` never returns it. `feed_seq` is the
-- position in the feed instead, taken as the event's transaction commits (a deferred constraint
-- trigger) while holding a lock on its organisation until the commit is visible: a later
-- transaction of that organisation takes its number only after, so whoever sees a number sees
-- every smaller one of that organisation. Organisations do not wait for each other, and a
-- transaction with events of several takes their locks in one order (no deadlock).

-- Events committed by instances still running the previous release wait until this migration
-- commits, so every row numbered here is below the sequence's start.
lock table events in share row exclusive mode;

alter table events add column feed_seq bigint;
-- Cursors handed out before keep their meaning: an event's place was its seq.
update events set feed_seq = seq;

create sequence events_feed_seq;
select setval('events_feed_seq', coalesce((select max(feed_seq) from events), 0) + 1, false);

drop index events_feed_idx;
create index events_feed_idx on events (organization_id, livemode, feed_seq);
-- Nothing reads events in `seq` order any more: its index would only cost every write.
drop index events_seq_idx;

-- As each event is inserted, its organisation's lock key joins the transaction's list (a setting
-- local to the transaction, undone with a savepoint rolled back, as the event is).
create function events_note_organization() returns trigger language plpgsql as $$
declare
  noted text := coalesce(current_setting('puente.events_feed_orgs', true), '');
  org_key text := hashtext(new.organization_id)::text;
begin
  if position(',' || org_key || ',' in ',' || noted) = 0 then
    perform set_config('puente.events_feed_orgs', noted || org_key || ',', true);
  end if;
  return null;
end $$;

create trigger events_note_organization after insert on events
  for each row execute function events_note_organization();

create function events_take_feed_seq() returns trigger language plpgsql as $$
declare
  org_key integer;
begin
  -- The first of a transaction's events to reach its commit locks every organisation the
  -- transaction has events of, in the order of their lock keys (two organisations may share one);
  -- the others find them locked.
  if coalesce(current_setting('puente.events_feed_locked', true), '') <> 'on' then
    for org_key in
      select distinct k::integer from unnest(string_to_array(current_setting('puente.events_feed_orgs', true), ',')) k
      where k <> '' order by 1
    loop
      perform pg_advisory_xact_lock(hashtext('puente events feed'), org_key);
    end loop;
    perform set_config('puente.events_feed_locked', 'on', true);
  end if;
  -- Rows reach here in the order they were inserted, so a transaction's events keep it.
  update events set feed_seq = nextval('events_feed_seq') where id = new.id;
  return null;
end $$;

create constraint trigger events_feed_order after insert on events
  deferrable initially deferred for each row execute function events_take_feed_seq();
