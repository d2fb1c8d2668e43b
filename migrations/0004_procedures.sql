-- Benefit procedures: the application, its documents, requirements from the agency, and the
-- timeline of every change.

create sequence registry_entry_seq;

create table procedures (
  id text primary key,
  organization_id text not null references organizations (id),
  livemode boolean not null,
  citizen_id text not null references citizens (id),
  delegation_id text not null references delegations (id),
  type text not null references procedure_types (code),
  status text not null default 'draft' check (status in (
    'draft', 'submitted', 'in_review', 'action_required', 'approved', 'partially_approved', 'denied', 'withdrawn', 'lapsed')),
  form jsonb not null,
  region text,
  original_procedure_id text references procedures (id),
  registry_entry_number text unique,
  submitted_at timestamptz,
  -- The day the legal clock counts from: filing on a non-working day counts from the next working day.
  registered_on date,
  max_resolution_base date,
  filing_consent_token text,
  filing_consent_jti text,
  created_by_member_id text not null references members (id),
  submitted_by_member_id text references members (id),
  resolved_at timestamptz,
  resolution_text text,
  resolution_amount numeric(12, 2),
  withdrawn_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);
-- Keyset pagination of an organisation's procedures, newest change first.
create index procedures_org_updated_idx on procedures (organization_id, livemode, updated_at desc, id desc);
create index procedures_citizen_idx on procedures (citizen_id, created_at, id);
create index procedures_agency_queue_idx on procedures (status, submitted_at, id) where livemode;

create table document_blobs (
  storage_key text primary key,
  content bytea not null
);

create table requirements (
  id text primary key,
  procedure_id text not null references procedures (id),
  kinds text[] not null,
  message text not null,
  notified_at timestamptz not null,
  notified_on date not null,
  deadline date not null,
  extended boolean not null default false,
  status text not null default 'open' check (status in ('open', 'answered', 'expired')),
  answered_at timestamptz,
  answered_on date,
  response_message text,
  issued_by text not null,
  created_at timestamptz not null
);
create index requirements_procedure_idx on requirements (procedure_id, created_at);

create table documents (
  id text primary key,
  procedure_id text not null references procedures (id),
  organization_id text not null references organizations (id),
  livemode boolean not null,
  kind text not null references document_kinds (code),
  filename text not null,
  content_type text not null check (content_type in ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes integer not null,
  sha256 text not null,
  storage_key text not null,
  requirement_id text references requirements (id),
  uploaded_by_member_id text references members (id),
  created_at timestamptz not null
);
create index documents_procedure_idx on documents (procedure_id, created_at, id);

create table procedure_timeline (
  seq bigint generated always as identity primary key,
  id text not null unique,
  procedure_id text not null references procedures (id),
  occurred_at timestamptz not null,
  actor_type text not null check (actor_type in ('member', 'caseworker', 'citizen', 'system')),
  actor_id text,
  actor_name text,
  action text not null,
  from_status text,
  to_status text,
  details jsonb not null default '{}'
);
create index procedure_timeline_idx on procedure_timeline (procedure_id, seq);
