import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { freePort, ROOT } from '../support/server-process';

const dataDir = mkdtempSync(join(tmpdir(), 'puente-compiled-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** A process's descendants and their command lines (Linux /proc). */
function descendants(pid: number): { pid: number; command: string }[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: { pid: number; command: string }[] = [];
  const visit = (p: number) => {
    for (const child of children.get(p) ?? []) {
      try {
        out.push({ pid: child, command: readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ').trim() });
      } catch {
        // gone meanwhile
      }
      visit(child);
    }
  };
  visit(pid);
  return out;
}

describe('the compiled Node entry points', () => {
  it('npm start builds dist/ when stale and serves /health from compiled JavaScript, not tsx', async () => {
    const port = await freePort();
    const child = spawn(npm, ['start'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', PUENTE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    try {
      let health: Response | undefined;
      for (let i = 0; i < 600 && !health; i++) {
        if (child.exitCode !== null) throw new Error(`npm start exited:\n${out}`);
        health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.status).toBe(200);
      const commands = descendants(child.pid!).map((p) => p.command);
      expect(commands.some((c) => /node .*dist\/server\.js/.test(c))).toBe(true);
      expect(commands.some((c) => /tsx/.test(c))).toBe(false);
    } finally {
      // The shell between npm and node does not pass signals on: stop the server itself, then npm.
      const server = descendants(child.pid!).find((p) => /dist\/server\.js/.test(p.command));
      if (server) process.kill(server.pid, 'SIGTERM');
      const exited = new Promise((r) => child.once('exit', r));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);

  it('the delivery worker refuses to start without DATABASE_URL and says so', () => {
    const run = spawnSync(npm, ['run', '-s', 'delivery-worker'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('DATABASE_URL');
  }, 90_000);

  it('an invalid variable stops the server with one line naming it', () => {
    const run = spawnSync(process.execPath, ['dist/server.js'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'invalid configuration', variable: 'PORT' });
  });
});
