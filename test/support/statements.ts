import type { QueryObserver } from '../../api/node/database';

/**
 * The statements the app sends on the request pool, for tests that count round trips: pass
 * `onQuery` to `createTestApp` and read (or reset) `sent`. Not the driver's type lookup when it
 * opens a connection, nor the rare sweep of old rate-limit windows.
 */
export function statementRecorder(): { onQuery: QueryObserver; sent: string[] } {
  const recorder = {
    sent: [] as string[],
    onQuery: ((_connection, query) => {
      if (!query.includes('pg_catalog.pg_type') && !query.includes('delete from rate_limit_windows'))
        recorder.sent.push(query.replace(/\s+/g, ' ').trim());
    }) as QueryObserver,
  };
  return recorder;
}
