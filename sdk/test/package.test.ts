import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type ServedApp, serveTestApp, type TestApp } from '../../test/support/app';
import { ROOT } from '../../test/support/server-process';

const run = promisify(execFile);
const SDK = join(ROOT, 'sdk');
const TSC = join(ROOT, 'node_modules/.bin/tsc');

let t: TestApp;
let server: ServedApp | undefined;
let base: string;
let dir: string;
let tarball: string;
beforeAll(async () => {
  t = await createTestApp();
  server = await serveTestApp(t);
  base = server.url;
  dir = mkdtempSync(join(tmpdir(), 'puente-sdk-pack-'));
  await run('npm', ['run', 'build'], { cwd: SDK });
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: SDK });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(dir, packed!.filename);
  files = packed!.files.map((f) => f.path).sort();
}, 180_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server?.close();
  await t?.close();
});
let files: string[] = [];

// A small program a firm would write: register, ask a citizen for a delegation, page through it.
const program = (load: string) => `${load}
declare const process: { env: Record<string, string | undefined>; exitCode?: number };

async function main(): Promise<void> {
  const baseUrl = process.env.PUENTE_BASE_URL!;
  const anonymous = new Puente({ baseUrl });
  const registration = await anonymous.organization.register(JSON.parse(process.env.REGISTRATION!));
  const puente = new Puente({ apiKey: registration.test_key.secret, baseUrl });
  const request = await puente.delegationRequests.create({
    citizen: { id_number: '12345678Z', name: 'Carmen López García' },
    scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult'] },
    valid_until: '2027-12-31',
  });
  const status: 'pending' | 'accepted' | 'rejected' | 'expired' | 'cancelled' = request.status;
  const listed = await puente.delegationRequests.list().toArray({ limit: 10 });
  try {
    await puente.members.retrieve('mem_doesnotexist0000000000');
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    console.log(JSON.stringify({ status, listed: listed.map((r) => r.id), request: request.id, notFound: error.code, version: VERSION }));
  }
}
main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

async function project(name: string, type: 'module' | 'commonjs', load: string): Promise<string> {
  const root = join(dir, name);
  mkdirSync(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name, private: true, type }));
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        lib: ['ES2022', 'DOM'],
        outDir: 'out',
        skipLibCheck: false,
      },
      include: ['main.ts'],
    }),
  );
  writeFileSync(join(root, 'main.ts'), program(load));
  // A local tarball with no dependencies installs without the network.
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: root });
  const typecheck = await run(TSC, ['-p', 'tsconfig.json'], { cwd: root }).catch(
    (error) => error as { stdout: string },
  );
  expect(typecheck.stdout, 'type errors').toBe('');
  const { registrationBody } = await import('../../test/support/fixtures');
  const { stdout } = await run(process.execPath, ['out/main.js'], {
    cwd: root,
    env: { ...process.env, PUENTE_BASE_URL: base, REGISTRATION: JSON.stringify(registrationBody()) },
  });
  return stdout;
}

describe('npm pack of the SDK', () => {
  it('holds only the built files, their types, the README and package.json', () => {
    expect(files).toEqual([
      'README.md',
      'dist/index.cjs',
      'dist/index.d.cts',
      'dist/index.d.ts',
      'dist/index.js',
      'package.json',
    ]);
  });

  it.each([
    ['esm', 'module', "import { NotFoundError, Puente, VERSION } from '@puente/sdk';"],
    ['cjs', 'commonjs', "import { NotFoundError, Puente, VERSION } from '@puente/sdk';"],
  ] as const)(
    'installs in a fresh %s project, type-checks and runs against the API',
    async (name, type, load) => {
      const output = JSON.parse(await project(name, type, load)) as Record<string, unknown>;
      expect(output).toMatchObject({ status: 'pending', notFound: 'not_found', version: '0.1.0' });
      expect(output.listed).toEqual([output.request]);
      // The compiled program loads the build its module system asks for.
      const emitted = readFileSync(join(dir, name, 'out/main.js'), 'utf8');
      expect(emitted).toMatch(type === 'commonjs' ? /require\("@puente\/sdk"\)/ : /from '@puente\/sdk'/);
    },
    180_000,
  );
});
