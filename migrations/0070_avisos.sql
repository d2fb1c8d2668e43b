-- Avisos: messages Puente sends the citizen (email, SMS) when something happens in their name.
-- They are written to an outbox in the transaction of the event that causes them, delivered with
-- retries, and every attempt is kept so the citizen can see what was sent and when.

-- What the citizen chose: their own contacts (each confirmed by a code sent to it), the channels
-- and language of their avisos, and the kinds they do not want (so a new kind is on by default).
create table citizen_aviso_settings (
  citizen_id text primary key references citizens (id),
  lang text not null default 'es' check (lang in ('es', 'en')),
  email text,
  email_confirmed_at timestamptz,
  phone text,
  phone_confirmed_at timestamptz,
  channels text[] not null default '{email,sms}',
  kinds_off text[] not null default '{}',
  updated_at timestamptz not null
);

-- A pending confirmation of a contact: the code is kept only as a hash, it expires, and it takes
-- a limited number of wrong tries.
create table citizen_contact_codes (
  citizen_id text not null references citizens (id),
  channel text not null check (channel in ('email', 'sms')),
  value text not null,
  code_hash text not null,
  attempts integer not null default 0,
  expires_at timestamptz not null,
  created_at timestamptz not null,
  primary key (citizen_id, channel)
);

create table avisos (
  id text primary key,
  -- One aviso per cause and channel: the same event never queues two.
  dedupe_key text not null unique,
  citizen_id text not null references citizens (id),
  livemode boolean not null,
  kind text not null,
  channel text not null check (channel in ('email', 'sms')),
  -- Where it goes, and whose address it is: the citizen's own (confirmed), or the one a firm gave
  -- on a delegation request (used for that request's aviso only).
  recipient text not null,
  recipient_source text not null check (recipient_source in ('citizen', 'request', 'confirmation')),
  lang text not null check (lang in ('es', 'en')),
  -- What to say (see api/modules/avisos/messages.ts), the first name to greet and the page to
  -- link; the text is written out on delivery, with this service's address in its links.
  facts jsonb not null,
  first_name text,
  path text not null,
  subject text,
  body text,
  event_id text,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'cancelled')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  -- A worker's claim; another may take over once it has passed.
  lease_until timestamptz,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null
);
create index avisos_due_idx on avisos (next_attempt_at) where status = 'pending';
create index avisos_citizen_idx on avisos (citizen_id, created_at, id);

create table aviso_attempts (
  aviso_id text not null references avisos (id),
  attempt integer not null,
  at timestamptz not null,
  outcome text not null check (outcome in ('accepted', 'failed', 'cancelled')),
  -- The server's answer or the reason it failed; never the message or personal data.
  detail text,
  primary key (aviso_id, attempt)
);

-- The development mailbox: outside production, with no SMTP server or SMS gateway configured,
-- avisos land here so every process (and the person trying Puente) can see them.
create table dev_mailbox (
  seq bigint generated always as identity primary key,
  aviso_id text not null unique references avisos (id),
  channel text not null,
  recipient text not null,
  subject text not null,
  body text not null,
  headers jsonb not null,
  created_at timestamptz not null
);
