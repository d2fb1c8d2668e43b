import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { describe, expect, it } from 'vitest';

const API = new URL('../../api/', import.meta.url).pathname;
/** Only these may touch Node: the Node entry point and its folder, and the command-line scripts. */
const NODE_ONLY = [/^node\.ts$/, /^node\//, /^scripts\//];
const FORBIDDEN = [
  /^node:/,
  /^@electric-sql\//,
  /^@hono\/node-server/,
  /^(fs|path|os|net|http|https|crypto|child_process|stream|url|module)$/,
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Each file of the runtime-neutral core (everything but NODE_ONLY), by its path under api/, with its source. */
function coreSources(): Array<{ rel: string; source: string }> {
  return files(API)
    .map((file) => ({ file, rel: relative(API, file) }))
    .filter(({ rel }) => !NODE_ONLY.some((p) => p.test(rel)))
    .map(({ file, rel }) => ({ rel, source: readFileSync(file, 'utf8') }));
}

describe('runtime-neutral core', () => {
  it('imports no Node-only module outside the Node entry point', () => {
    const offenders: string[] = [];
    for (const { rel, source } of coreSources()) {
      for (const match of source.matchAll(
        /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
      )) {
        const spec = match[1] ?? match[2]!;
        if (FORBIDDEN.some((p) => p.test(spec)) || /(^|\/)node\//.test(spec) || /\/node$/.test(spec))
          offenders.push(`${rel} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('probes for no Node built-in at run time outside the Node entry point', () => {
    const offenders: string[] = [];
    for (const { rel, source } of coreSources()) {
      if (/globalThis\.process|getBuiltinModule|process\.versions/.test(source)) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });
});
