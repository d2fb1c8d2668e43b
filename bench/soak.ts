// npm run soak [-- --seconds 300]: the full soak against a fresh database on DATABASE_URL (default: the local PostgreSQL).
import { mkdirSync, writeFileSync } from 'node:fs';

import { runSoak, soakViolations } from '../test/resilience/soak';
import { freshDatabase, machine } from './support';

const argSeconds = process.argv.indexOf('--seconds');
const seconds = Number(argSeconds > 0 ? process.argv[argSeconds + 1] : (process.env.SOAK_SECONDS ?? 180));
const databaseUrl = await freshDatabase('puente_soak');

// The server migrates the empty database when it starts.
console.error(`soak: ${seconds} s of mixed traffic…`);
const report = await runSoak({ databaseUrl, seconds, drainTimeoutMs: 120_000 });
const violations = soakViolations(report);
console.table(Object.entries(report.by_operation).map(([operation, r]) => ({ operation, ...r })));
console.log(
  JSON.stringify(
    {
      ...report,
      server_errors: report.server_errors.slice(0, 5),
      transport_errors: report.transport_errors.slice(0, 5),
      unexpected: report.unexpected.slice(0, 5),
    },
    null,
    2,
  ),
);
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ machine: machine(), report, violations }, null, 2));
console.log(
  violations.length
    ? `FAILED:\n- ${violations.join('\n- ')}`
    : 'soak passed: no 5xx, no lost write or event, memory flat',
);
console.log(`wrote ${file}`);
process.exit(violations.length ? 1 : 0);
