-- A resolution's amount is shown once its notification has taken effect (opened, or deemed
-- rejected); the `resolved` entry of the procedure's timeline, which firms and citizens read before
-- that, no longer copies it. The amount stays where it belongs, with the procedure's resolution.
update procedure_timeline set details = details - 'amount' where action = 'resolved' and details ? 'amount';
