-- A delivery's `attempts` counts the attempts recorded (requests the endpoint could have
-- answered); `claims` is `attempts` plus the claims made since the last recorded attempt.
-- A worker that dies between its claim and the attempt's record leaves a claim without an
-- attempt: the retry schedule does not count it, and a delivery interrupted that way again and
-- again is given up. A constant default adds the column without rewriting the table; rows that
-- predate it start at 0 and are set by their next recorded attempt.
alter table webhook_deliveries add column claims integer not null default 0;
