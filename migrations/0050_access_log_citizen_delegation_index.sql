-- Every view of the access log is a citizen's own (citizen_id always in the filter), optionally
-- narrowed to one delegation. The index on (delegation_id, seq) served that narrowing only by
-- intersecting bitmaps with the citizen index and sorting every matching entry: 169 ms for a
-- citizen with 5,000 entries in a 1 M-row log. (citizen_id, delegation_id, seq) answers it with
-- one backward range scan (0.2 ms) and costs each insert the same one index.
drop index access_log_delegation_idx;
create index access_log_citizen_delegation_idx on access_log (citizen_id, delegation_id, seq);
