import { lookup } from 'node:dns/promises';
import { join } from 'node:path';

import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

import type { Config } from '../config';
import { applyMigrations } from '../db/migrate';
import type { Deps } from '../deps';
import type { Logger } from '../http/logger';
import { HitBuffer } from '../http/rate-limit';
import { type Clock, systemClock } from '../lib/clock';
import { CalendarStore } from '../modules/calendar/store';
import { SigningKeyStore } from '../modules/consent/keys';
import { connectPostgres, type Database, openEmbedded } from './database';
import { nodeDocsAssets } from './docs-assets';
import { nodeEd25519 } from './ed25519';
import { smtpMailer } from './mailer';
import { readMigrationFiles } from './migration-files';

export function embeddedDataDir(env: NodeJS.ProcessEnv): string {
  return env.PUENTE_DATA_DIR ?? join(process.cwd(), '.puente', 'data');
}

/** Opens the database the environment asks for: DATABASE_URL, or the embedded default. */
export async function openDatabase(env: NodeJS.ProcessEnv): Promise<Database> {
  if (env.DATABASE_URL) return connectPostgres(env.DATABASE_URL, Number(env.DATABASE_POOL_SIZE ?? 10));
  return openEmbedded({ dataDir: embeddedDataDir(env) });
}

export async function migrate(database: Database, logger: Logger): Promise<void> {
  const report = await applyMigrations(database.sql, readMigrationFiles());
  if (report.applied.length > 0) logger.log('info', 'migrations applied', { applied: report.applied });
}

export function nodeDeps(config: Config, database: Database, logger: Logger, clock: Clock = systemClock): Deps {
  return {
    config,
    clock,
    logger,
    db: () => database.sql,
    docsAssets: nodeDocsAssets(),
    clientAddress: nodeClientAddress,
    resolveHost: nodeResolveHost,
    signingKeys: new SigningKeyStore(config.secretKey, nodeEd25519),
    hits: new HitBuffer(),
    calendar: new CalendarStore(),
    mailer: config.avisos.smtpUrl ? smtpMailer(config.avisos.smtpUrl) : undefined,
  };
}

function nodeClientAddress(c: Context): string {
  if (process.env.PUENTE_TRUST_PROXY === '1') {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function nodeResolveHost(hostname: string): Promise<string[]> {
  try {
    return (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return [];
  }
}
