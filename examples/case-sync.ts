// What a firm's case software runs on a timer: read the event feed from the last saved cursor
// and update a local store, then save the cursor.  npm run example:case-sync
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

import { connect } from './connect';

const STATE = process.env.CASE_SYNC_STATE ?? 'examples/output/case-sync-state.json';
interface Store {
  cursor: string | null;
  procedures: Record<string, { status: string; type: string; updated: string }>;
  delegations: Record<string, { status: string; updated: string }>;
}
const store: Store = existsSync(STATE)
  ? JSON.parse(readFileSync(STATE, 'utf8'))
  : { cursor: null, procedures: {}, delegations: {} };

const puente = await connect();
let seen = 0;
let page = await puente.events.list({ limit: 100, ...(store.cursor ? { cursor: store.cursor } : {}) });
for (;;) {
  for (const event of page.data) {
    seen++;
    const data = event.data as Record<string, string>;
    if (data.procedure_id)
      store.procedures[data.procedure_id] = {
        status: data.status ?? 'unknown',
        type: data.type ?? '?',
        updated: event.created_at,
      };
    if (event.type.startsWith('delegation.') && data.delegation_id)
      store.delegations[data.delegation_id] = { status: data.status ?? 'unknown', updated: event.created_at };
  }
  // The feed always answers a cursor to resume from, even on its last page.
  store.cursor = page.next_cursor ?? store.cursor;
  if (!page.has_more) break;
  page = await puente.events.list({ limit: 100, cursor: page.next_cursor! });
}
mkdirSync('examples/output', { recursive: true });
writeFileSync(STATE, JSON.stringify(store, null, 2));
console.log(
  `${seen} new events; ${Object.keys(store.procedures).length} procedures and ${Object.keys(store.delegations).length} delegations tracked; cursor saved to ${STATE}`,
);
