-- Events (a transactional outbox) and their delivery to webhook endpoints.

create table events (
  seq bigint generated always as identity,
  id text primary key,
  organization_id text not null references organizations (id),
  livemode boolean not null,
  type text not null,
  data jsonb not null,
  -- Time-driven events are emitted by a scheduler that may run on several processes: the key
  -- makes a second emission of the same fact a no-op.
  dedupe_key text unique,
  created_at timestamptz not null
);
create unique index events_seq_idx on events (seq);
create index events_feed_idx on events (organization_id, livemode, seq);

create table webhook_endpoints (
  id text primary key,
  organization_id text not null references organizations (id),
  livemode boolean not null,
  url text not null,
  description text,
  event_types text[] not null default '{}',
  enabled boolean not null default true,
  disabled_reason text,
  secret_encrypted text not null,
  previous_secret_encrypted text,
  previous_secret_expires_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted_at timestamptz,
  version integer not null default 1
);
create index webhook_endpoints_org_idx on webhook_endpoints (organization_id, livemode, created_at, id);

create table webhook_deliveries (
  id text primary key,
  endpoint_id text not null references webhook_endpoints (id),
  event_id text not null references events (id),
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed', 'exhausted')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  locked_until timestamptz,
  last_status_code integer,
  last_error text,
  last_latency_ms integer,
  created_at timestamptz not null,
  delivered_at timestamptz,
  unique (endpoint_id, event_id)
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc, id desc);

create table webhook_attempts (
  id bigint generated always as identity primary key,
  delivery_id text not null references webhook_deliveries (id),
  attempted_at timestamptz not null,
  status_code integer,
  latency_ms integer not null,
  error text
);
create index webhook_attempts_delivery_idx on webhook_attempts (delivery_id, id);
