-- A delivery's `attempts` counts the attempts recorded (those the endpoint could have answered);
-- `claims` counts the times a worker took it. A worker that dies between its claim and the
-- attempt's record leaves a claim without an attempt: the retry schedule does not count it, and a
-- delivery interrupted that way again and again is given up.
alter table webhook_deliveries add column claims integer not null default 0;
update webhook_deliveries set claims = attempts;
