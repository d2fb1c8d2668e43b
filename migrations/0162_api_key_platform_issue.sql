-- Keys are issued only with a key: an owner who has lost every key of theirs (revoked them all,
-- or never kept a secret) could not get back in. The platform administrator may issue one for the
-- owner after checking who asks; the key keeps who checked and what, and the organisation sees it
-- in its list of keys.
alter table api_keys add column platform_issued_by text;
alter table api_keys add column platform_issue_note text;
