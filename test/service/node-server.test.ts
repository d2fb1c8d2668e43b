import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ROOT, startServer } from '../support/server-process';

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

/** Runs the server from its sources with `env` until it exits; answers its exit code, stdout and stderr. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/node.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('npm start that cannot listen', () => {
  it('stops with one line naming PORT when the port is in use, or HOST when it is not an address here', async () => {
    const taken = createServer();
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    const port = String((taken.address() as { port: number }).port);
    try {
      const cases = [
        { env: { PORT: port, HOST: '127.0.0.1' }, variable: 'PORT' },
        // TEST-NET-1: never an address of this machine.
        { env: { PORT: '0', HOST: '192.0.2.1' }, variable: 'HOST' },
      ];
      for (const [i, { env, variable }] of cases.entries()) {
        const dir = join(dataDir, `unlistened-${i}`);
        const run = await runServer({ ...env, PUENTE_DATA_DIR: dir });
        expect(run.code, run.stderr).toBe(1);
        const lines = run.stderr.trim().split('\n');
        expect(lines, run.stderr).toHaveLength(1);
        expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'invalid configuration', variable });
        // What had started was stopped: the database closed, its lock released.
        expect(existsSync(join(dir, 'puente.lock'))).toBe(false);
      }
    } finally {
      await new Promise((ok) => taken.close(ok));
    }
  }, 200_000);
});
