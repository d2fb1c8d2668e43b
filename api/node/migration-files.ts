import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { MigrationFile } from '../db/migrate';

/**
 * The package root: the nearest folder above this code that holds `package.json` and
 * `migrations/`. The same from the TypeScript sources (api/node/) and from the bundle (dist/).
 */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package root with a migrations/ folder above ${from}`);
  }
}

/** `PUENTE_MIGRATIONS_DIR` when configured, else `migrations/` of the package root. */
export function readMigrationFiles(dir?: string): MigrationFile[] {
  const folder = dir ?? join(packageRoot(), 'migrations');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(folder, name), 'utf8') }));
}
