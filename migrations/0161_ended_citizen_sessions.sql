-- The citizen's pages keep their session in a cookie that holds the ID token. Signing out records
-- that token (its SHA-256, never the token) as ended until it would have expired anyway, so a copy
-- of the cookie left behind (a shared computer, a synced browser profile) signs no one in again.
create table ended_citizen_sessions (
  token_sha256 text primary key,
  expires_at timestamptz not null
);
-- The scheduler deletes the rows whose token has expired (it would be refused by then anyway).
create index ended_citizen_sessions_expiry_idx on ended_citizen_sessions (expires_at);
