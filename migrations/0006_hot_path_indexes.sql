-- Every request of a credential counted on one row made that row a lock hot spot: concurrent
-- requests queued behind each other's commit. Counts are now spread over shards and summed.
alter table rate_limit_windows add column shard smallint not null default 0;
alter table rate_limit_windows drop constraint rate_limit_windows_pkey;
alter table rate_limit_windows add primary key (bucket, window_start, shard);

-- The per-row delegation check of procedure lists, for organisations with many clients.
create index delegations_active_citizen_idx on delegations (organization_id, citizen_id) where status = 'active';
