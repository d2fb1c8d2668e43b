import { z } from '@hono/zod-openapi';

import type { App } from '../../http/context';
import { get, jsonResponse, routesOf } from '../../http/openapi';

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    uptime_seconds: z.number(),
    database: z.object({
      status: z.enum(['ok', 'unavailable']),
      latency_ms: z.number().nullable(),
    }),
  })
  .openapi('Health', {
    example: { status: 'ok', version: '0.1.0', uptime_seconds: 42, database: { status: 'ok', latency_ms: 0.8 } },
  });

const routes = routesOf('Service', {
  getHealth: get('/health', {
    operationId: 'getHealth',
    summary: 'Process and database status',
    description: 'Answers 200 when the database answers, 503 otherwise. Needs no credential; meant for load balancers.',
    auth: 'public',
    responses: {
      200: jsonResponse('Healthy', HealthSchema),
      503: jsonResponse('The database is unavailable', HealthSchema),
    },
  }),
});

export const VERSION = '0.1.0';
const startedAt = Date.now();

export function registerHealth(app: App): void {
  app.openapi(routes.getHealth, async (c) => {
    const sql = c.get('sql');
    const started = performance.now();
    let latency: number | null = null;
    try {
      await sql`select 1`;
      latency = Math.round((performance.now() - started) * 100) / 100;
    } catch (error) {
      c.get('deps').logger.log('error', 'health check: database unavailable', {
        request_id: c.get('requestId'),
        message: error instanceof Error ? error.message : String(error),
      });
    }
    const body = {
      status: latency === null ? ('degraded' as const) : ('ok' as const),
      version: VERSION,
      uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
      database: { status: latency === null ? ('unavailable' as const) : ('ok' as const), latency_ms: latency },
    };
    return latency === null ? c.json(body, 503) : c.json(body, 200);
  });
}
