import type { Context } from 'hono';

import { ProblemError } from './problem';

export function etagOf(id: string, version: number): string {
  return `"${id}.v${version}"`;
}

/**
 * Optimistic concurrency: when the client sends `If-Match`, it must name the current version.
 * Answers the version the update must still find in the database (the write re-checks it), or
 * undefined when the client sent no `If-Match`.
 */
export function checkIfMatch(c: Context, id: string, currentVersion: number): number | undefined {
  const header = c.req.header('if-match');
  if (header === undefined) return undefined;
  const accepted = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!accepted.includes('*') && !accepted.includes(etagOf(id, currentVersion))) {
    throw new ProblemError(
      'precondition_failed',
      `The resource has changed: its current ETag is ${etagOf(id, currentVersion)}.`,
      {
        extensions: { current_etag: etagOf(id, currentVersion) },
      },
    );
  }
  return currentVersion;
}
