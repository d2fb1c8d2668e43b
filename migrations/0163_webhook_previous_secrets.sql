-- A rotation kept one previous secret: a second rotation within its 24 hours stopped the first
-- secret signing at once, so a receiver that had not switched yet failed every delivery. Each
-- secret rotated out now keeps signing until its own end, as a list (newest first); what has
-- ended is dropped at the next rotation.
alter table webhook_endpoints add column previous_secrets jsonb not null default '[]';
update webhook_endpoints
set previous_secrets = jsonb_build_array(jsonb_build_object(
  'secret_encrypted', previous_secret_encrypted,
  'expires_at', to_jsonb(previous_secret_expires_at)))
where previous_secret_encrypted is not null and previous_secret_expires_at is not null;
alter table webhook_endpoints drop column previous_secret_encrypted;
alter table webhook_endpoints drop column previous_secret_expires_at;
