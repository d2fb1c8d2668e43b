import { serve, type ServerType } from '@hono/node-server';
import { afterAll } from 'vitest';

import { createApp } from '../../api/app';
import { type Config, configFromEnv } from '../../api/config';
import type { Sql } from '../../api/db/sql';
import type { Deps } from '../../api/deps';
import type { App } from '../../api/http/context';
import { memoryLogger } from '../../api/http/logger';
import { ManualClock } from '../../api/lib/clock';
import { SecretBox } from '../../api/lib/crypto-box';
import type { Database, QueryObserver } from '../../api/node/database';
import { nodeDeps } from '../../api/node/runtime';
import { openTestDatabase } from './database';

export interface TestApp {
  app: App;
  sql: Sql;
  database: Database;
  clock: ManualClock;
  logs: string[];
  config: Config;
  /** What the app was built from (for background work with the same metrics, clock and config). */
  deps?: Deps;
  /** Sends a request through the real app (routing, middleware, database). */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export async function createTestApp(
  options: { config?: Partial<Config>; now?: string; database?: Database; onQuery?: QueryObserver } = {},
): Promise<TestApp> {
  const database = options.database ?? (await openTestDatabase({ debug: options.onQuery }));
  const config = configFromEnv({ PUENTE_ENV: 'test', PUENTE_BASE_URL: 'http://puente.test' }, options.config);
  const clock = new ManualClock(new Date(options.now ?? '2026-03-02T09:00:00Z'));
  return testAppOver(database, config, clock);
}

/**
 * The app every test of a file shares, created as the file loads and closed after its last test:
 * `const t = await fileTestApp(options);` at the top of the file.
 */
export async function fileTestApp(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const t = await createTestApp(options);
  afterAll(() => t.close());
  return t;
}

/**
 * `fileTestApp` served on a real Node HTTP server on a free port, for tests that send bytes over
 * a socket: both closed after the file's last test.
 */
export async function fileServedApp(
  options: Parameters<typeof createTestApp>[0] = {},
): Promise<{ t: TestApp; server: ServedApp }> {
  const t = await createTestApp(options);
  const server = await serveTestApp(t);
  afterAll(async () => {
    await server.close();
    await t.close();
  });
  return { t, server };
}

/** The real app over `database`, built from this config and clock; requests go in-process unless `request` is given. */
export function testAppOver(
  database: Database,
  config: Config,
  clock: ManualClock,
  request?: TestApp['request'],
): TestApp {
  const logger = memoryLogger();
  const deps = nodeDeps(config, database, logger, clock);
  const app = createApp(deps);
  return {
    app,
    sql: database.sql,
    database,
    clock,
    logs: logger.lines,
    config,
    deps,
    request: request ?? ((path, init = {}) => Promise.resolve(app.request(path, requestInit(init)))),
    close: () => database.close(),
  };
}

/** A request's init with `json` turned into a JSON body and its content type. */
export function requestInit(init: RequestInit & { json?: unknown }): RequestInit {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  return { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body };
}

export interface ServedApp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops the server (the app and its database stay open). */
  close(): Promise<void>;
}

/** A test app served on a real socket (127.0.0.1, a free port), for clients that need one. */
export async function serveTestApp(t: TestApp): Promise<ServedApp> {
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server!.close(() => resolve())),
  };
}

/**
 * Sends `json` (when given) to a served app over its socket, as a client would: the status, the
 * `ETag` and the parsed body.
 */
export async function sendJson(
  served: ServedApp,
  path: string,
  method: string,
  headers: Record<string, string>,
  json?: unknown,
): Promise<{ status: number; etag: string | null; body: any }> {
  const response = await fetch(`${served.url}${path}`, {
    method,
    headers: json === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: response.status, etag: response.headers.get('etag'), body: await response.json() };
}

/** What a webhook delivery worker needs, for tests that drive it themselves: any host resolves (receivers are local). */
export function deliveryDeps(t: TestApp) {
  return {
    config: t.config,
    clock: t.clock,
    logger: memoryLogger(),
    resolveHost: async (): Promise<string[]> => [],
    secretBox: new SecretBox(t.config.secretKey),
  };
}
