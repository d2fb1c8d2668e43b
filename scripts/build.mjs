// Bundles the Node entry points into dist/ (ES modules with source maps): the server, the
// migration command and the delivery worker. Dependencies stay in node_modules (PGlite loads its
// WebAssembly from there). `--if-stale` builds only when a source is newer than the bundle, so
// `npm start` can run it every time.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const stamp = join(out, '.build-stamp');

export const ENTRY_POINTS = {
  server: 'api/node.ts',
  migrate: 'api/scripts/migrate.ts',
  'delivery-worker': 'api/scripts/delivery-worker.ts',
};

/** The newest modification time of anything that goes into the bundle. */
function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of ['api', 'sdk/scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs'])
    if (existsSync(join(root, path))) visit(join(root, path));
  return newest;
}

function isFresh() {
  if (!existsSync(stamp)) return false;
  if (!Object.keys(ENTRY_POINTS).every((name) => existsSync(join(out, `${name}.js`)))) return false;
  return Number(readFileSync(stamp, 'utf8')) >= newestSource();
}

/** Bundles `entryPoints` ({ name: source }) into `outdir` as the Node entry points are bundled. */
export async function bundle(entryPoints, outdir) {
  const { build: esbuild } = await import('esbuild');
  await esbuild({
    absWorkingDir: root,
    entryPoints,
    outdir: join(root, outdir),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'warning',
  });
}

export async function build() {
  const newest = newestSource();
  await bundle(ENTRY_POINTS, 'dist');
  writeFileSync(stamp, String(newest));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && isFresh()) process.exit(0);
  const started = Date.now();
  await build();
  if (!process.argv.includes('--quiet')) console.log(`built dist/ in ${Date.now() - started} ms`);
}
