-- Bulk delegation requests: a batch of rows (an uploaded CSV or a JSON array), answered at once and
-- worked through in the background. Each row's request and its new status commit together, so a
-- worker that dies mid-batch leaves every row either untouched (queued) or finished, never both.

create table delegation_request_batches (
  id text primary key,
  organization_id text not null references organizations (id),
  livemode boolean not null,
  created_by_member_id text not null references members (id),
  source text not null check (source in ('csv', 'json')),
  status text not null default 'processing' check (status in ('processing', 'completed')),
  total integer not null check (total > 0),
  created integer not null default 0,
  duplicates integer not null default 0,
  failed integer not null default 0,
  created_at timestamptz not null,
  completed_at timestamptz,
  -- A worker's claim on the batch; another may take over once it has passed.
  locked_until timestamptz
);
create index delegation_request_batches_org_idx on delegation_request_batches (organization_id, livemode, created_at, id);
create index delegation_request_batches_due_idx on delegation_request_batches (created_at) where status = 'processing';

create table delegation_request_batch_rows (
  batch_id text not null references delegation_request_batches (id) on delete cascade,
  row_number integer not null,
  -- Line of the file where the record starts (CSV only).
  line integer,
  status text not null check (status in ('queued', 'created', 'duplicate', 'failed')),
  -- The row as a request body, while queued; cleared once processed (the request holds the data).
  input jsonb,
  delegation_request_id text references delegation_requests (id),
  problem jsonb,
  processed_at timestamptz,
  primary key (batch_id, row_number)
);
create index delegation_request_batch_rows_queued_idx on delegation_request_batch_rows (batch_id, row_number) where status = 'queued';
