import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';

import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

import { baseDeps } from '../base-deps';
import { type Config, ConfigError } from '../config';
import { applyMigrations } from '../db/migrate';
import type { Deps } from '../deps';
import type { Logger } from '../http/logger';
import { type Clock, systemClock } from '../lib/clock';
import { noMetrics } from '../lib/metrics';
import { accessLogBatcher } from '../modules/access-log/batcher';
import { nodeAesGcm } from './aes-gcm';
import { connectPostgres, type Database, openEmbedded, WRITER_POOL_SIZE } from './database';
import { nodeDocsAssets } from './docs-assets';
import { nodeEd25519 } from './ed25519';
import { nodeHmac } from './hmac';
import { smtpMailer } from './mailer';
import { nodeMetrics } from './metrics';
import { readMigrationFiles } from './migration-files';
import { nodeReadBody, nodeRequestIsBodyless } from './request-body';

/** Opens the database the configuration names: DATABASE_URL, or the embedded default. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.database.url) return connectPostgres(config.database.url, config.database.poolSize);
  return openEmbedded({ dataDir: config.database.dataDir });
}

export async function migrate(database: Database, logger: Logger, config?: Config): Promise<void> {
  const report = await applyMigrations(database.sql, readMigrationFiles(config?.database.migrationsDir));
  if (report.applied.length > 0) logger.log('info', 'migrations applied', { applied: report.applied });
}

/** Node's own hash is synchronous and far cheaper than a WebCrypto job for a few dozen bytes. */
export async function nodeSha256(data: string | Uint8Array): Promise<string> {
  return createHash('sha256').update(data).digest('hex');
}

export function nodeDeps(
  config: Config,
  database: Database,
  logger: Logger,
  clock: Clock = systemClock,
  extra: Partial<Deps> = {},
): Deps {
  return baseDeps(config, {
    clock,
    logger,
    db: () => database.sql,
    docsAssets: nodeDocsAssets(),
    clientAddress: config.trustProxy ? forwardedClientAddress : connectionAddress,
    requestIsBodyless: nodeRequestIsBodyless,
    readBody: nodeReadBody,
    resolveHost: nodeResolveHost,
    ed25519: nodeEd25519,
    aesGcm: nodeAesGcm,
    sha256: nodeSha256,
    hmacSha256: nodeHmac,
    // Collected only when someone may scrape them.
    metrics: extra.metrics ?? (config.metricsToken ? nodeMetrics() : noMetrics),
    accessLog: database.writer ? accessLogBatcher(database.writer, WRITER_POOL_SIZE) : undefined,
    mailer: config.avisos.smtpUrl ? smtpMailer(config.avisos.smtpUrl) : undefined,
    ...extra,
  });
}

/**
 * The address the operator's proxy appended to `X-Forwarded-For`: its last entry. Entries before
 * it are whatever the client sent (a proxy appends to the header it received), so the first one
 * would let any client choose its own address, past the sign-up limit.
 */
function forwardedClientAddress(c: Context): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
  return forwarded || connectionAddress(c);
}

function connectionAddress(c: Context): string {
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

/** A variable of the configuration and the value it was read as. */
type Setting = { variable: string; value: string | number };

/**
 * Why a server could not listen, naming the variable at fault: the port (taken, or privileged) or
 * the host (no address of this machine). Other errors as they are.
 */
export function listenError(error: NodeJS.ErrnoException, port: Setting, host: Setting): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new ConfigError(port.variable, `${port.variable} ${port.value} is already in use by another process`);
    case 'EACCES':
      return new ConfigError(
        port.variable,
        `${port.variable} ${port.value} cannot be opened by this process (ports below 1024 need privileges)`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
      return new ConfigError(host.variable, `${host.variable} ${host.value} is not an address of this machine`);
    default:
      return error;
  }
}

/**
 * Stops a Node process that cannot start, with one line on stderr. A configuration error names
 * the variable at fault (and never repeats a secret's value).
 */
export function exitWithStartupError(error: unknown): never {
  const fields =
    error instanceof ConfigError
      ? { msg: 'invalid configuration', variable: error.variable, error: error.message }
      : { msg: 'failed to start', error: error instanceof Error ? error.message : String(error) };
  console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', ...fields }));
  process.exit(1);
}
