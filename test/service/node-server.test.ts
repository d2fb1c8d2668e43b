import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { startServer } from '../support/server-process';

const dataDir = mkdtempSync(join(tmpdir(), 'puente-node-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start on the embedded default', () => {
  it('serves /health within 20 s, stops cleanly on SIGTERM and keeps its data across restarts', async () => {
    const first = await startServer({ PUENTE_DATA_DIR: dataDir });
    expect(first.startedInMs).toBeLessThan(20_000);
    expect(first.output()).toContain('/docs');
    const health = (await (await fetch(`${first.baseUrl}/health`)).json()) as Record<string, any>;
    expect(health).toMatchObject({ status: 'ok', database: { status: 'ok' } });
    expect(first.output()).toContain('migrations applied');
    const stopped = await first.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5_000);

    const second = await startServer({ PUENTE_DATA_DIR: dataDir });
    // The schema is already there: nothing is migrated again.
    expect(second.output()).not.toContain('migrations applied');
    const types = (await (await fetch(`${second.baseUrl}/v1/procedure-types`)).json()) as { data: unknown[] };
    expect(types.data).toHaveLength(17);
    const again = await second.stop('SIGINT');
    expect(again.code).toBe(0);
  }, 150_000);
});

describe('npm start in production', () => {
  it('says once, at start, that citizens cannot sign in when no identity provider is configured', async () => {
    const server = await startServer({
      PUENTE_DATA_DIR: join(dataDir, 'production'),
      PUENTE_ENV: 'production',
      PUENTE_SECRET_KEY: 'a-production-secret-of-32-characters-at-least',
      PUENTE_BASE_URL: 'https://puente.example.es',
    });
    const stopped = await server.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    const warnings = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .filter((line) => line.level === 'warn');
    expect(warnings).toEqual([expect.objectContaining({ msg: expect.stringContaining('citizens cannot sign in') })]);
  }, 150_000);
});
