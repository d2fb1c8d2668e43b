-- A procedure is answered with its type's maximum term, legal source and required documents.
-- They were joined from the catalogue on every row of every read; each process now keeps them
-- with its calendar snapshot, which it reloads whenever `calendar_state.version` changes. So any
-- change to the catalogue bumps that version, in the transaction that makes it, whoever makes it
-- (a change made with triggers disabled, or by DDL alone, must bump it itself).
create function procedure_types_changed() returns trigger language plpgsql as $$
begin
  update calendar_state set version = version + 1;
  return null;
end;
$$;

create trigger procedure_types_bump_calendar after insert or update or delete or truncate on procedure_types
  for each statement execute function procedure_types_changed();
