-- Electronic notifications (Ley 39/2015, arts. 40-43): every agency act that opens a term is made
-- available to the representative. It takes effect when a member first opens it, or, unopened
-- after 10 días naturales, when it is deemed rejected (art. 43.2); the term runs from the next day.
create table notifications (
  id text primary key,
  organization_id text not null references organizations (id),
  livemode boolean not null,
  procedure_id text not null references procedures (id),
  kind text not null check (kind in ('requirement', 'resolution', 'withdrawal_declaration', 'lapse_warning', 'lapse_declaration')),
  requirement_id text references requirements (id),
  -- The act as notified (a requirement's kinds and message, a resolution's text...).
  content jsonb not null default '{}',
  made_available_at timestamptz not null,
  -- The legal day (Europe/Madrid) it was made available, from which the 10 días naturales count.
  made_available_on date not null,
  accessed_at timestamptz,
  accessed_on date,
  -- Like the access log, the record of who opened it outlives the member.
  accessed_by_member_id text,
  -- When the scheduler recorded the deemed rejection (its legal date is computed from the calendar).
  deemed_rejected_at timestamptz,
  created_at timestamptz not null
);
create index notifications_procedure_idx on notifications (procedure_id, made_available_at, id);
create index notifications_pending_idx on notifications (made_available_on) where deemed_rejected_at is null;

-- A requirement's deadline is no longer fixed when it is issued: it depends on when its
-- notification takes effect, and is computed from it.
alter table requirements alter column deadline drop not null;

-- Acts issued before notifications existed were treated as notified on the day they were issued:
-- record them as opened that day, which keeps every deadline they already had.
insert into notifications (id, organization_id, livemode, procedure_id, kind, requirement_id, content, made_available_at, made_available_on,
  accessed_at, accessed_on, created_at)
select 'ntf_' || substr(md5(r.id), 1, 22), p.organization_id, p.livemode, r.procedure_id, 'requirement', r.id,
  jsonb_build_object('kinds', to_jsonb(r.kinds), 'message', r.message), r.notified_at, r.notified_on, r.notified_at, r.notified_on, r.created_at
from requirements r join procedures p on p.id = r.procedure_id;

insert into notifications (id, organization_id, livemode, procedure_id, kind, content, made_available_at, made_available_on,
  accessed_at, accessed_on, created_at)
select 'ntf_' || substr(md5(p.id || ':resolution'), 1, 22), p.organization_id, p.livemode, p.id, 'resolution',
  jsonb_build_object('outcome', p.status, 'text', coalesce(p.resolution_text, ''), 'amount', p.resolution_amount), p.resolved_at,
  (p.resolved_at at time zone 'Europe/Madrid')::date, p.resolved_at, (p.resolved_at at time zone 'Europe/Madrid')::date, p.resolved_at
from procedures p where p.resolved_at is not null and p.status in ('approved', 'partially_approved', 'denied');
