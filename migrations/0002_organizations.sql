-- Representative organisations, their members, API keys, agency keys, and the write machinery
-- (idempotency records and rate-limit windows) that every instance shares through PostgreSQL.

create table organizations (
  id text primary key,
  legal_name text not null,
  nif text not null unique,
  kind text not null check (kind in ('gestoria', 'law_firm', 'graduado_social', 'third_sector')),
  status text not null default 'pending_verification' check (status in ('pending_verification', 'verified', 'suspended')),
  -- Professions: colegio + número + practising. Third sector: registry + number + statutes declaration.
  colegio text,
  registry text,
  registration_number text not null,
  practising boolean,
  statutes_allow_representation boolean,
  contact_email text not null,
  verified_at timestamptz,
  verified_by text,
  verification_note text,
  suspended_at timestamptz,
  suspension_reason text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1,
  check ((kind = 'third_sector') = (registry is not null)),
  check (kind <> 'third_sector' or statutes_allow_representation),
  check (kind = 'third_sector' or (colegio is not null and practising is not null))
);
create index organizations_status_idx on organizations (status, created_at, id);

create table members (
  id text primary key,
  organization_id text not null references organizations (id),
  name text not null,
  id_number text not null,
  email text,
  role text not null check (role in ('owner', 'admin', 'agent', 'viewer')),
  colegio_number text,
  status text not null default 'active' check (status in ('active', 'removed')),
  created_at timestamptz not null,
  created_by_member_id text references members (id),
  removed_at timestamptz,
  removed_by_member_id text references members (id)
);
create unique index members_org_id_number_active_idx on members (organization_id, id_number) where status = 'active';
create index members_org_idx on members (organization_id, created_at, id);

create table api_keys (
  id text primary key,
  organization_id text not null references organizations (id),
  member_id text not null references members (id),
  livemode boolean not null,
  name text not null,
  -- Only a hash of the secret is kept; the prefix lets people recognise a key in lists.
  secret_hash text not null unique,
  display_prefix text not null,
  created_at timestamptz not null,
  created_by_member_id text references members (id),
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by_member_id text references members (id)
);
create index api_keys_org_idx on api_keys (organization_id, created_at, id);

create table agency_keys (
  id text primary key,
  managing_body text not null,
  office text not null,
  secret_hash text not null unique,
  display_prefix text not null,
  created_at timestamptz not null,
  created_by text not null,
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table idempotency_keys (
  credential_id text not null,
  key text not null,
  fingerprint text not null,
  state text not null check (state in ('in_flight', 'completed')),
  response_status integer,
  response_body text,
  response_content_type text,
  created_at timestamptz not null,
  locked_until timestamptz not null,
  expires_at timestamptz not null,
  primary key (credential_id, key)
);
create index idempotency_keys_expiry_idx on idempotency_keys (expires_at);

create table rate_limit_windows (
  bucket text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (bucket, window_start)
);

-- Development conveniences (the demo organisation's key); never written in production mode.
create table dev_settings (
  name text primary key,
  value text not null
);
