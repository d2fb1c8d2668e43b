-- The access log is written on every consented read, and its indexes are most of that write.
-- Measured on a 1 M-row log (a citizen with 5,000 entries under two delegations), every view the
-- citizen has (all entries, one delegation, a period, both, a page at depth) is one backward range
-- scan of (citizen_id, seq) or (citizen_id, delegation_id, seq), 0.1 to 1 ms; neither can go (the
-- other serves those views only by filtering or sorting every entry of the citizen, 2 to 400 ms).
-- The unique index on `id` serves no view; it was a random-key B-tree, the costliest of the four
-- to insert into (200,000 entries: 7.2–7.7 s with it, 3.2–4.5 s without). Entry ids are 131-bit
-- random (newId), so unique without it, and `seq` stays the primary key.
alter table access_log drop constraint access_log_id_key;

-- A delegation belongs to one citizen, so filtering on both is filtering on the delegation alone.
-- Without this the planner multiplied the two selectivities, expected one entry for a delegation
-- holding thousands, and sorted them all (bitmap scan and top-N sort, 5.7 ms) instead of reading
-- the first page off the index (0.13 ms).
create statistics access_log_citizen_delegation_stats (dependencies) on citizen_id, delegation_id from access_log;
