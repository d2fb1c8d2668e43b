import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ConfigError } from '../../api/config';
import { LOCK_FILE, openEmbedded } from '../../api/node/database';
import { ROOT } from '../support/server-process';

// One data directory for every test: creating one takes seconds.
const dataDir = mkdtempSync(join(tmpdir(), 'puente-lock-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(run.stdout);
}

describe('the embedded database takes one process at a time', () => {
  it('a second open of a data directory in use fails naming PUENTE_DATA_DIR; closing releases it', async () => {
    const first = await openEmbedded({ dataDir });
    try {
      expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
      const second = await openEmbedded({ dataDir }).then(
        (db) => db.close().then(() => undefined),
        (error: unknown) => error,
      );
      expect(second).toBeInstanceOf(ConfigError);
      expect((second as ConfigError).variable).toBe('PUENTE_DATA_DIR');
      expect((second as ConfigError).message).toContain(`PUENTE_DATA_DIR (${dataDir}) is in use`);
      // The first one still works.
      expect(await first.sql`select 1 as one`).toEqual([{ one: 1 }]);
    } finally {
      await first.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const again = await openEmbedded({ dataDir });
    expect(await again.sql`select 1 as one`).toEqual([{ one: 1 }]);
    await again.close();
  }, 60_000);

  it('takes over the lock of a process that is gone', async () => {
    writeFileSync(join(dataDir, LOCK_FILE), `${deadPid()}\n`);
    const db = await openEmbedded({ dataDir });
    try {
      expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    } finally {
      await db.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  }, 60_000);

  it('npm run migrate on a data directory a server holds stops with one line: stop the server first', async () => {
    const server = await openEmbedded({ dataDir });
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'api/scripts/migrate.ts'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: '', PUENTE_DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]!);
      expect(line).toMatchObject({ msg: 'invalid configuration', variable: 'PUENTE_DATA_DIR' });
      expect(line.error).toContain('Stop the server');
    } finally {
      await server.close();
    }
  }, 90_000);
});
