import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

describe('built package', () => {
  it('builds, and works from import and from require, without Node built-ins', async () => {
    execFileSync('npm', ['run', 'build', '-w', 'sdk'], { cwd: root, stdio: 'pipe' });
    const esm = (await import(`${dist}index.js`)) as typeof import('../src');
    const cjs = createRequire(import.meta.url)(`${dist}index.cjs`) as typeof import('../src');
    for (const sdk of [esm, cjs]) {
      expect(typeof sdk.Puente).toBe('function');
      expect(new sdk.Puente({ apiKey: 'sk_test_x' }).procedures.list).toBeTypeOf('function');
      expect(new sdk.DelegationInactiveError(403, undefined, new Headers())).toBeInstanceOf(sdk.PermissionDeniedError);
    }
    for (const file of ['index.js', 'index.cjs']) {
      const code = readFileSync(`${dist}${file}`, 'utf8');
      expect(code).not.toMatch(/from ["']node:|require\(["'](node:)?(fs|path|crypto|http|https|stream|buffer|os)["']\)/);
    }
    const types = readFileSync(`${dist}index.d.ts`, 'utf8');
    expect(types).toContain('declare class Puente');

    // Size of what a browser or Worker would ship: minified ESM, gzipped.
    const min = buildSync({ entryPoints: [`${dist}index.js`], bundle: true, minify: true, write: false, format: 'esm', platform: 'neutral' });
    const gzipped = gzipSync(min.outputFiles[0]!.contents).length;
    console.log(`SDK ESM bundle: ${min.outputFiles[0]!.contents.length} bytes minified, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThan(15 * 1024);
  }, 120_000);
});
