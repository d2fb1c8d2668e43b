-- Delegation: citizens, requests for representation, the delegations citizens grant, the keys
-- that sign consent tokens, and the append-only access log citizens read.

create table citizens (
  id text primary key,
  id_number text not null unique,
  name text,
  created_at timestamptz not null
);

create table delegation_requests (
  id text primary key,
  organization_id text not null references organizations (id),
  livemode boolean not null,
  citizen_id text not null references citizens (id),
  citizen_name text,
  citizen_contact text,
  scope jsonb not null,
  -- Canonical form of the scope, so the same request is not opened twice.
  scope_key text not null,
  scope_version integer not null,
  valid_until date not null,
  message text,
  code text not null unique,
  status text not null default 'pending' check (status in ('pending', 'accepted', 'rejected', 'cancelled', 'expired')),
  created_at timestamptz not null,
  created_by_member_id text not null references members (id),
  expires_at timestamptz not null,
  ended_at timestamptz,
  ended_by text check (ended_by in ('citizen', 'organization', 'system')),
  ended_by_member_id text references members (id),
  delegation_id text
);
create unique index delegation_requests_one_pending_idx
  on delegation_requests (organization_id, livemode, citizen_id, scope_key) where status = 'pending';
create index delegation_requests_org_idx on delegation_requests (organization_id, livemode, created_at, id);
create index delegation_requests_citizen_idx on delegation_requests (citizen_id, created_at, id);
create index delegation_requests_expiry_idx on delegation_requests (expires_at) where status = 'pending';

create table delegations (
  id text primary key,
  organization_id text not null references organizations (id),
  livemode boolean not null,
  citizen_id text not null references citizens (id),
  request_id text not null unique references delegation_requests (id),
  scope jsonb not null,
  scope_version integer not null,
  -- Flattened scope for the per-request check.
  procedure_types text[] not null,
  capacities text[] not null,
  valid_from date not null,
  valid_until date not null,
  status text not null default 'active' check (status in ('active', 'revoked', 'renounced', 'expired', 'suspended')),
  created_at timestamptz not null,
  ended_at timestamptz,
  ended_by text check (ended_by in ('citizen', 'organization', 'platform', 'expiry')),
  ended_by_member_id text references members (id),
  ended_reason text,
  version integer not null default 1,
  check (valid_until <= valid_from + interval '5 years')
);
create index delegations_org_idx on delegations (organization_id, livemode, created_at, id);
create index delegations_citizen_idx on delegations (citizen_id, created_at, id);
create index delegations_active_org_idx on delegations (organization_id) where status = 'active';

alter table delegation_requests add constraint delegation_requests_delegation_fk foreign key (delegation_id) references delegations (id);

create table signing_keys (
  kid text primary key,
  purpose text not null check (purpose in ('consent', 'dev_idp')),
  alg text not null check (alg = 'EdDSA'),
  public_jwk jsonb not null,
  -- AES-GCM encrypted with the configured secret; never stored in the clear.
  private_jwk_encrypted text not null,
  created_at timestamptz not null,
  retired_at timestamptz
);
create unique index signing_keys_current_idx on signing_keys (purpose) where retired_at is null;

-- Append-only: who acted for a citizen, as which member, on what, when.
create table access_log (
  seq bigint generated always as identity primary key,
  id text not null unique,
  citizen_id text not null references citizens (id),
  delegation_id text references delegations (id),
  organization_id text not null references organizations (id),
  member_id text references members (id),
  livemode boolean not null,
  action text not null,
  resource_type text,
  resource_id text,
  request_id text,
  occurred_at timestamptz not null
);
create index access_log_citizen_idx on access_log (citizen_id, seq);
create index access_log_delegation_idx on access_log (delegation_id, seq);

create function access_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'access_log is append-only';
end;
$$;
create trigger access_log_no_update before update or delete on access_log
  for each statement execute function access_log_is_append_only();
create trigger access_log_no_truncate before truncate on access_log
  for each statement execute function access_log_is_append_only();
