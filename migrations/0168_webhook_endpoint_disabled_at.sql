-- When an endpoint was disabled (a 410 answer, or a change), so that its owner knows from when
-- events were not queued for it and reads them from the feed; null while enabled.
alter table webhook_endpoints add column disabled_at timestamptz;
-- Endpoints disabled already: when a 410 disabled one, its attempt recorded that answer at that
-- very time; otherwise the time of its last change (the disabling, or a change made since).
update webhook_endpoints w set disabled_at = coalesce(
  (select max(a.attempted_at) from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
   where d.endpoint_id = w.id and a.error = 'endpoint answered 410 Gone'),
  w.updated_at)
where not w.enabled and w.deleted_at is null;
