import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { serve } from '@hono/node-server';
import { OpenAPIHono } from '@hono/zod-openapi';

import type { Deps } from '../deps';
import type { AppEnv } from '../http/context';
import { errorHandler, requestContext } from '../http/middleware';
import { notFoundHandler } from '../http/not-found';
import { registerHealth } from '../modules/health/routes';
import { registerMetrics } from '../modules/metrics/routes';
import { listenError } from './runtime';

export interface OperationsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `GET /metrics` and `GET /health` of a process that serves no API (the delivery worker), on
 * PUENTE_METRICS_PORT: the same routes as the API's, so the same token, registry and format.
 * Answers once it listens; a port it cannot open fails naming PUENTE_METRICS_PORT or HOST.
 */
export function serveOperations(deps: Deps, port: number, host: string): Promise<OperationsServer> {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestContext(deps));
  registerHealth(app);
  registerMetrics(app);
  app.notFound(notFoundHandler(app));
  app.onError(errorHandler(deps));
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      server.off('error', failed);
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            server.closeAllConnections();
          }),
      });
    }) as Server;
    const failed = (error: NodeJS.ErrnoException) =>
      reject(listenError(error, { variable: 'PUENTE_METRICS_PORT', value: port }, { variable: 'HOST', value: host }));
    server.once('error', failed);
  });
}
