import type { Context, ExecutionContext } from 'hono';
import postgres from 'postgres';
import redocBundle from 'redoc/bundles/redoc.standalone.js';

import { createApp } from './app';
import { configFromEnv, type EnvSource } from './config';
import { CLIENT_TYPES, type Sql } from './db/sql';
import type { App } from './http/context';
import { jsonLogger } from './http/logger';
import { HitBuffer } from './http/rate-limit';
import { systemClock } from './lib/clock';
import { CalendarStore } from './modules/calendar/store';
import { SigningKeyStore } from './modules/consent/keys';

interface WorkerEnv {
  HYPERDRIVE: { connectionString: string };
}

interface RequestBindings extends WorkerEnv {
  sql: Sql;
}

let app: App | undefined;

function buildApp(env: WorkerEnv): App {
  const config = configFromEnv(env as unknown as EnvSource);
  return createApp({
    config,
    clock: systemClock,
    logger: jsonLogger(config.logLevel),
    db: (c: Context) => (c.env as RequestBindings).sql,
    signingKeys: new SigningKeyStore(config.secretKey),
    hits: new HitBuffer(),
    calendar: new CalendarStore(),
    // Workers cannot reach private networks; literal addresses are still checked by the app.
    resolveHost: async () => [],
    clientAddress: (c: Context) => c.req.header('cf-connecting-ip') ?? 'unknown',
    requestIsBodyless: (c: Context) => c.req.raw.body === null,
    docsAssets: {
      async get(name) {
        return name === 'redoc.standalone.js' ? redocBundle : undefined;
      },
    },
  });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    app ??= buildApp(env);
    // Hyperdrive pools the real connections: a client per request, closed once the response is built.
    const sql = postgres(env.HYPERDRIVE.connectionString, {
      max: 5,
      fetch_types: false,
      onnotice: () => {},
      types: CLIENT_TYPES,
    }) as unknown as Sql;
    const bindings: RequestBindings = { ...env, sql };
    const response = await app.fetch(request, bindings, ctx);
    ctx.waitUntil(sql.end({ timeout: 5 }));
    return response;
  },
};
