import type { Context } from 'hono';

import { ProblemError } from './problem';

export function etagOf(id: string, version: number): string {
  return `"${id}.v${version}"`;
}

/**
 * The 412 of a change based on a version the resource no longer has: it names the version the
 * database holds now (`current_etag`, which the SDK's PreconditionFailedError reads), so the
 * client can read it again and reapply its change. Every `precondition_failed` is made here.
 */
export function preconditionFailed(
  id: string,
  currentVersion: number,
  what = 'The resource has changed',
): ProblemError {
  const current = etagOf(id, currentVersion);
  return new ProblemError('precondition_failed', `${what}: its current ETag is ${current}. Read it again.`, {
    extensions: { current_etag: current },
  });
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
  if (!accepted.includes('*') && !accepted.includes(etagOf(id, currentVersion)))
    throw preconditionFailed(id, currentVersion);
  return currentVersion;
}
