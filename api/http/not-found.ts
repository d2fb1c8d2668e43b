import type { Context } from 'hono';

import { newId } from '../lib/ids';
import type { App, AppEnv } from './context';
import { ProblemError, problemResponse } from './problem';

interface RoutePattern {
  method: string;
  regex: RegExp;
}

function compile(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  // Exactly the path, as the router matches it: `/v1/procedures/` is no route (GET included), so it
  // must answer 404, not a 405 that lists the very method it refused.
  return new RegExp(`^${source}$`);
}

/**
 * Unknown paths answer 404; known paths with another method answer 405 with `Allow`, which
 * Hono does not distinguish on its own. A path is known when it matches a route exactly (Hono's
 * router is strict: a trailing slash makes another path).
 */
export function notFoundHandler(app: App) {
  let patterns: RoutePattern[] | undefined;
  return (c: Context<AppEnv>): Response => {
    patterns ??= app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, regex: compile(r.path) }));
    const requestId = c.get('requestId') ?? newId('rid');
    const path = c.req.path;
    const allowed = [...new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.method))];
    if (allowed.length > 0) {
      if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
      return problemResponse(
        new ProblemError(
          'method_not_allowed',
          `${c.req.method} is not allowed on this path. Allowed: ${allowed.join(', ')}.`,
          {
            headers: { allow: allowed.join(', ') },
          },
        ),
        requestId,
      );
    }
    return problemResponse(new ProblemError('not_found', `No route matches ${c.req.method} ${path}.`), requestId);
  };
}
