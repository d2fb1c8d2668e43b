-- What the first request with a key was allowed, kept with its response: for a consented write,
-- the consent it passed (capacity, procedure, access-log action and resource). A replay discloses
-- that response again, so it must be allowed the same, now, with its own consent token. Rows
-- stored before the column existed have none; a consented route refuses to replay them.
alter table idempotency_keys add column granted jsonb;
