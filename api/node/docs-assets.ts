import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { DocsAssets } from '../deps';

/** Reads the reference UI from the installed redoc package, once per file. */
export function nodeDocsAssets(): DocsAssets {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('redoc/package.json')), 'bundles');
  const cache = new Map<string, Promise<string | undefined>>();
  return {
    get(name) {
      let content = cache.get(name);
      if (!content) {
        content = readFile(join(dir, name), 'utf8').catch(() => undefined);
        cache.set(name, content);
      }
      return content;
    },
  };
}
