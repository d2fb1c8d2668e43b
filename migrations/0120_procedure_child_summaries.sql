-- Every statement that answers a procedure (a read, each list page, the consent gate's payloads)
-- read its documents' kinds, its requirements and its notifications through three correlated
-- subqueries, run only when the counts of migration 0100 said there were rows. PostgreSQL still
-- builds the executor state of each subquery on every execution, run or not: on the consented
-- read they were 7 of the plan's 28 nodes, and setting up the plan took more of PostgreSQL's time
-- than running it. Reading the summaries below instead took about 55 µs of PostgreSQL CPU off
-- each consented read (about a fifth) and 65–80 µs off each list page (about a quarter).
--
-- So the database keeps what those subqueries answered on the procedure's row, beside the counts
-- and by the same trigger: every insert, update or delete of a child recomputes its procedure's
-- summary, whoever writes the row. The shapes below are the only definition of these arrays.

-- The distinct kinds of the procedure's documents, in order.
create function procedure_document_kinds(procedure text) returns text[] language plpgsql as $$
begin
  return array(select distinct d.kind from documents d where d.procedure_id = procedure order by d.kind);
end;
$$;

-- The procedure's requirements as the API's `RequirementJson`, oldest first.
create function procedure_requirements_json(procedure text) returns json language plpgsql as $$
begin
  return coalesce((
    select json_agg(json_build_object(
      'id', r.id, 'kinds', r.kinds, 'message', r.message, 'notified_at', r.notified_at, 'notified_on', r.notified_on,
      'deadline', r.deadline, 'extended', r.extended, 'status', r.status, 'answered_at', r.answered_at,
      'answered_on', r.answered_on, 'response_message', r.response_message) order by r.created_at, r.id)
    from requirements r where r.procedure_id = procedure), '[]');
end;
$$;

-- The procedure's notifications as the API's `NotificationJson`, oldest first.
create function procedure_notifications_json(procedure text) returns json language plpgsql as $$
begin
  return coalesce((
    select json_agg(json_build_object(
      'id', n.id, 'kind', n.kind, 'requirement_id', n.requirement_id, 'content', n.content, 'made_available_at', n.made_available_at,
      'made_available_on', to_char(n.made_available_on, 'YYYY-MM-DD'), 'accessed_at', n.accessed_at,
      'accessed_on', to_char(n.accessed_on, 'YYYY-MM-DD'), 'accessed_by_member_id', n.accessed_by_member_id,
      'deemed_rejected_at', n.deemed_rejected_at) order by n.made_available_at, n.id)
    from notifications n where n.procedure_id = procedure), '[]');
end;
$$;

alter table procedures
  add column document_kinds text[] not null default '{}',
  add column requirements_json json not null default '[]',
  add column notifications_json json not null default '[]';

update procedures set
  document_kinds = procedure_document_kinds(id),
  requirements_json = procedure_requirements_json(id),
  notifications_json = procedure_notifications_json(id)
where document_count > 0 or requirement_count > 0 or notification_count > 0;

-- The procedure's row is locked before its summary is read: two transactions changing children
-- of the same procedure take turns, and the second reads the first one's committed rows (each
-- statement after the lock reads with a snapshot taken after it). Without the lock, only the
-- re-evaluation of the update below after its wait, with these functions volatile, would see
-- them. Counted as in migration 0100.
create or replace function procedure_child_counted() returns trigger language plpgsql as $$
declare
  target_id text;
  delta integer := 0;
begin
  if tg_op = 'DELETE' then
    target_id := old.procedure_id;
    delta := -1;
  else
    target_id := new.procedure_id;
    if tg_op = 'INSERT' then
      delta := 1;
    end if;
  end if;
  perform 1 from procedures where id = target_id for no key update;
  if tg_table_name = 'documents' then
    update procedures set document_count = document_count + delta, document_kinds = procedure_document_kinds(target_id)
    where id = target_id;
  elsif tg_table_name = 'requirements' then
    update procedures set requirement_count = requirement_count + delta, requirements_json = procedure_requirements_json(target_id)
    where id = target_id;
  else
    update procedures set notification_count = notification_count + delta, notifications_json = procedure_notifications_json(target_id)
    where id = target_id;
  end if;
  return null;
end;
$$;

drop trigger documents_counted on documents;
create trigger documents_counted after insert or delete or update of kind on documents
  for each row execute function procedure_child_counted();
drop trigger requirements_counted on requirements;
create trigger requirements_counted after insert or update or delete on requirements
  for each row execute function procedure_child_counted();
drop trigger notifications_counted on notifications;
create trigger notifications_counted after insert or update or delete on notifications
  for each row execute function procedure_child_counted();

-- A truncate fires no row trigger: it would leave summaries describing rows that are gone (a
-- submit would accept documents no longer stored). Children are deleted, never truncated.
create function procedure_children_not_truncated() returns trigger language plpgsql as $$
begin
  raise exception '% rows are deleted, not truncated, so that their procedures'' summaries follow', tg_table_name;
end;
$$;
create trigger documents_no_truncate before truncate on documents
  for each statement execute function procedure_children_not_truncated();
create trigger requirements_no_truncate before truncate on requirements
  for each statement execute function procedure_children_not_truncated();
create trigger notifications_no_truncate before truncate on notifications
  for each statement execute function procedure_children_not_truncated();
