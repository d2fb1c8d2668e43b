import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';

import { ROOT } from '../support/server-process';

const run = promisify(execFile);
const DOCUMENT = join(ROOT, 'openapi/openapi.json');
const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);
const dir = mkdtempSync(join(tmpdir(), 'puente-openapi-tools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the document with third-party tools', () => {
  it("passes Spectral's spectral:oas ruleset with no warning (every operation described, tagged, with an operationId)", async () => {
    writeFileSync(join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n');
    const { stdout } = await run(
      bin('spectral'),
      ['lint', DOCUMENT, '--ruleset', join(dir, '.spectral.yaml'), '--format', 'json', '--quiet'],
      { cwd: dir, maxBuffer: 32 * 1024 * 1024 },
    ).catch((error) => error as { stdout: string });
    const results = JSON.parse(stdout || '[]') as Array<{ code: string; message: string; path: string[] }>;
    expect(results.map((r) => `${r.code}: ${r.message} @ ${r.path.join('.')}`)).toEqual([]);
  }, 120_000);

  it('generates a client with openapi-typescript-codegen that type-checks', async () => {
    const out = join(dir, 'client');
    await run(bin('openapi'), ['--input', DOCUMENT, '--output', out, '--client', 'fetch', '--useUnionTypes'], {
      cwd: dir,
    });
    writeFileSync(
      join(dir, 'use.ts'),
      `import { OpenAPI, MembersService, ProceduresService } from './client';
OpenAPI.BASE = 'http://localhost:3000';
OpenAPI.TOKEN = 'sk_test_x';
export async function main(): Promise<string[]> {
  const page = await MembersService.listMembers();
  const procedure = await ProceduresService.retrieveProcedure({ id: 'prc_1', puenteConsent: 'token' } as never);
  return [...page.data.map((m) => m.id), procedure.id];
}
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          noEmit: true,
          lib: ['ES2022', 'DOM'],
          skipLibCheck: true,
        },
        include: ['client', 'use.ts'],
      }),
    );
    const result = await run(bin('tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir }).catch(
      (error) => error as { stdout: string },
    );
    expect(result.stdout).toBe('');
  }, 120_000);
});
