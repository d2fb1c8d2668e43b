-- Who acted: an organisation (its member, under a delegation) or the citizen themself, when they
-- download a document or a receipt of their own procedure. The organisation named on a citizen's
-- own entry is the one holding the procedure.
alter table access_log add column actor_type text not null default 'organization' check (actor_type in ('organization', 'citizen'));
