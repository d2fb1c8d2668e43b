-- Sitges (08270), 2026: the Generalitat's order gives only one of its two local days (23
-- September); the other is not in the text. Its coverage was recorded as complete, so a deadline
-- counted there said nothing of the missing day. Left as it is if it has been changed since.
update local_holiday_coverage
   set complete = false,
       note = 'Only one of the two local days of 2026 is known (23 September); the other is not in the Generalitat''s order.'
 where ine_code = '08270' and year = 2026 and complete and note is null;
-- Each process reloads its calendar snapshot when the version changes.
update calendar_state set version = version + 1;
