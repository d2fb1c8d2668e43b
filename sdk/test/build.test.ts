import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
type Sdk = typeof import('../src');

describe('built package', () => {
  it('builds ESM, CJS and types that load without Node built-ins', async () => {
    execFileSync('npm', ['run', 'build', '-w', 'sdk'], { cwd: root, stdio: 'pipe' });
    for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'])
      expect(existsSync(`${dist}${file}`), file).toBe(true);

    const esm = (await import(`${dist}index.js`)) as Sdk;
    const cjs = createRequire(import.meta.url)(`${dist}index.cjs`) as Sdk;
    for (const sdk of [esm, cjs]) {
      expect(typeof sdk.Puente).toBe('function');
      expect(typeof new sdk.Puente({ apiKey: 'sk_test_x' }).members.list).toBe('function');
      expect(new sdk.DelegationInactiveError(403, undefined, new Headers())).toBeInstanceOf(sdk.PermissionDeniedError);
    }
    for (const file of ['index.js', 'index.cjs']) {
      const code = readFileSync(`${dist}${file}`, 'utf8');
      expect(code).not.toMatch(
        /from\s*["']node:|import\(\s*["']node:|require\(\s*["'](node:|fs|path|crypto|http|https|stream|buffer|os|url|zlib)/,
      );
    }
    expect(readFileSync(`${dist}index.d.ts`, 'utf8')).toContain('declare class Puente');

    // Through the package's `exports` map, as an installed package would be loaded.
    const load = (code: string, type: 'module' | 'commonjs') =>
      execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' }).trim();
    expect(load("const { Puente } = await import('@puente/sdk'); console.log(typeof Puente)", 'module')).toBe(
      'function',
    );
    expect(load("console.log(typeof require('@puente/sdk').Puente)", 'commonjs')).toBe('function');

    // What a browser or a Worker ships: the ESM build, minified and gzipped.
    const minified = buildSync({
      entryPoints: [`${dist}index.js`],
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
    }).outputFiles[0]!.contents;
    const gzipped = gzipSync(minified, { level: 9 }).length;
    console.log(`@puente/sdk ESM bundle: ${minified.length} B minified, ${gzipped} B minified+gzipped`);
    expect(gzipped).toBeLessThan(10 * 1024);
  }, 120_000);
});
