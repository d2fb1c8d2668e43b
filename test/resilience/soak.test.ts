import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

import type { Database } from '../../api/node/database';
import { openTestDatabase } from '../support/database';
import { runSoak, soakViolations } from './soak';

/**
 * The bounded soak, short: `npm run soak` runs the same for minutes. Needs PostgreSQL, because the
 * two delivery workers are separate processes sharing the server's database.
 */
const onPostgres = inject('databaseMode') === 'postgres';
const seconds = Number(process.env.SOAK_SECONDS ?? 25);
let db: Database & { url?: string };

beforeAll(async () => {
  if (onPostgres) db = await openTestDatabase();
});
afterAll(async () => {
  if (onPostgres) await db.close();
});

describe.skipIf(!onPostgres)('soak: mixed traffic, one server, two delivery workers', () => {
  it(
    'answers no 5xx, loses no write or event, and keeps memory flat',
    async () => {
      const report = await runSoak({ databaseUrl: db.url!, seconds });
      console.log(
        JSON.stringify(
          {
            soak: {
              ...report,
              server_errors: report.server_errors.length,
              transport_errors: report.transport_errors.length,
              unexpected: report.unexpected.slice(0, 5),
            },
          },
          null,
          1,
        ),
      );
      expect(soakViolations(report)).toEqual([]);
      // The run did real work of every kind.
      expect(report.procedures_acknowledged).toBeGreaterThan(10);
      expect(report.by_operation.read?.count).toBeGreaterThan(100);
      expect(report.deliveries_refused_first_time).toBeGreaterThan(0);
    },
    (seconds + 120) * 1000,
  );
});
