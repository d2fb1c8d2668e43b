import type { Sql } from '../../db/sql';

/** Procedures whose legal clock may have run out or whose requirement deadline may be near. */
export function listClockCandidates(sql: Sql): Promise<Array<{ id: string }>> {
  return sql<Array<{ id: string }>>`
    select id from procedures p
    where (status in ('submitted', 'in_review') and max_resolution_base is not null
           and not exists (select 1 from events e where e.dedupe_key = 'procedure.presumed_denied:' || p.id))
       or (status = 'action_required')`;
}
