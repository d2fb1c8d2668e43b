import type { Context, ExecutionContext } from 'hono';
import redocBundle from 'redoc/bundles/redoc.standalone.js';

import { createApp } from './app';
import { type BackgroundTask, backgroundTasks } from './background-tasks';
import { baseDeps } from './base-deps';
import { ConfigError, configFromEnv, type EnvSource } from './config';
import { createSql } from './db/client';
import type { Sql } from './db/sql';
import type { Deps } from './deps';
import type { App } from './http/context';
import { errorFields } from './http/logger';
import { ProblemError, problemResponse } from './http/problem';
import { newId } from './lib/ids';

interface WorkerEnv {
  HYPERDRIVE?: { connectionString: string };
  [binding: string]: unknown;
}

interface RequestBindings extends WorkerEnv {
  sql: Sql;
}

/** The part of Cloudflare's ScheduledController the handler reads. */
interface ScheduledController {
  scheduledTime: number;
  cron: string;
}

type Built = { app: App; deps: Deps; connectionString: string } | { invalid: ConfigError };

let built: Built | undefined;

/** Builds the app once per isolate; an invalid environment is remembered and answered on every request. */
function build(env: WorkerEnv): Built {
  try {
    const connectionString = env.HYPERDRIVE?.connectionString;
    if (!connectionString) throw new ConfigError('HYPERDRIVE', 'HYPERDRIVE (a Hyperdrive binding) is required');
    const strings: EnvSource = {};
    for (const [name, value] of Object.entries(env)) if (typeof value === 'string') strings[name] = value;
    const config = configFromEnv(strings);
    const deps = baseDeps(config, {
      db: (c: Context) => (c.env as RequestBindings).sql,
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
    return { app: createApp(deps), deps, connectionString };
  } catch (error) {
    if (error instanceof ConfigError) return { invalid: error };
    throw error;
  }
}

function configurationInvalid(error: ConfigError): Response {
  console.error(JSON.stringify({ level: 'error', msg: 'invalid configuration', variable: error.variable }));
  // The variable's name only: its value may be a secret.
  return problemResponse(
    new ProblemError('configuration_invalid', `${error.variable} is missing or invalid in this deployment.`, {
      extensions: { variable: error.variable },
    }),
    newId('rid'),
  );
}

/** What one Cron Trigger invocation does at most of each task, to stay within a Worker's CPU time. */
const SCHEDULED_LIMITS: Partial<Record<BackgroundTask['name'], number>> = {
  deliveries: 25,
  'delegation-request-batches': 100,
  avisos: 25,
};

/** Hyperdrive pools the real connections: a client per request or invocation, closed after it. */
function connect(connectionString: string): Sql {
  return createSql(connectionString, { max: 5, fetchTypes: false, applicationName: false });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    built ??= build(env);
    if ('invalid' in built) return configurationInvalid(built.invalid);
    const sql = connect(built.connectionString);
    const bindings: RequestBindings = { ...env, sql };
    const response = await built.app.fetch(request, bindings, ctx);
    ctx.waitUntil(sql.end({ timeout: 5 }));
    return response;
  },

  /**
   * The Cron Trigger (wrangler.toml): one bounded batch of every background task (webhook
   * deliveries, delegation-request batches, SMS avisos, the scheduler), with the same leases as the Node
   * delivery workers, so both can run against one database.
   */
  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    built ??= build(env);
    if ('invalid' in built) {
      configurationInvalid(built.invalid);
      return;
    }
    const { deps, connectionString } = built;
    const sql = connect(connectionString);
    const run = async () => {
      try {
        deps.metrics.schedulerRun(Math.max(0, (Date.now() - controller.scheduledTime) / 1000));
        // No SMTP on Workers: email avisos are left to a Node process (README, Avisos).
        for (const task of backgroundTasks(sql, deps, { avisoChannels: ['sms'] })) {
          try {
            const done = await task.run(SCHEDULED_LIMITS[task.name]);
            if (done > 0) deps.logger.log('info', 'scheduled batch', { task: task.name, done });
          } catch (error) {
            deps.logger.log('error', `${task.name} failed`, errorFields(error));
          }
        }
      } finally {
        await sql.end({ timeout: 5 });
      }
    };
    ctx.waitUntil(run());
  },
};
