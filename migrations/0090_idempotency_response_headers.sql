-- The response headers a replay must repeat (its ETag, its Location), as the first answer sent
-- them. Rows stored before the column existed replay without them, as they did.
alter table idempotency_keys add column response_headers jsonb;
