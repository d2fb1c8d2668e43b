-- A caseworker's read of a citizen's procedure (the back office's queue, a procedure, a document)
-- is an access the citizen sees in their log, as the representative's are: the agency key that
-- read it is recorded, and the citizen sees the body and office it belongs to.
alter table access_log add column agency_key_id text references agency_keys (id);
alter table access_log drop constraint access_log_actor_type_check;
-- Rows already there satisfy it (it only widens the old one): not validated again.
alter table access_log add constraint access_log_actor_type_check
  check (actor_type in ('organization', 'citizen', 'agency')) not valid;
