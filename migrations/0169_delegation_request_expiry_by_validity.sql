-- A delegation request now expires no later than the end of its `valid_until` (a Europe/Madrid
-- day): accepted after that day it would have become a delegation that had already ended. Pending
-- requests made before wait no longer than that either.
update delegation_requests
set expires_at = (valid_until + 1)::timestamp at time zone 'Europe/Madrid'
where status = 'pending' and expires_at > (valid_until + 1)::timestamp at time zone 'Europe/Madrid';
