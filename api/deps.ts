import type { Context } from 'hono';

import type { Config } from './config';
import type { Sql } from './db/sql';
import type { Logger } from './http/logger';
import type { HitBuffer } from './http/rate-limit';
import type { Clock } from './lib/clock';
import type { AccessLogBatcher } from './modules/access-log/batcher';
import type { CalendarStore } from './modules/calendar/store';
import type { SigningKeyStore } from './modules/consent/keys';

/** Files of the self-hosted API reference, read by whichever runtime serves the app. */
export interface DocsAssets {
  get(name: 'redoc.standalone.js'): Promise<string | undefined>;
}

export interface Deps {
  config: Config;
  clock: Clock;
  logger: Logger;
  /**
   * The database for one request. On Node this is the shared pool; on Workers a client is made
   * per request (Hyperdrive pools the real connections) and closed after the response.
   */
  db(c: Context): Sql;
  docsAssets: DocsAssets;
  /** Keys that sign consent tokens (and the development identity provider's ID tokens). */
  signingKeys: SigningKeyStore;
  /**
   * The group-committed access log of consented reads, where the runtime has a pool to commit
   * its batches on (Node on PostgreSQL). Absent on the embedded database (one connection) and on
   * Workers (a client per request): there a read writes its entry in its own statement.
   */
  accessLog?: AccessLogBatcher;
  /** Rate-limit hits this instance holds before writing them (see `HitBuffer`). */
  hits: HitBuffer;
  /** The holiday calendar, loaded from the database and cached per process with its version. */
  calendar: CalendarStore;
  /** Resolves a host name to its addresses (to refuse webhook targets on private networks); [] when the runtime cannot. */
  resolveHost(hostname: string): Promise<string[]>;
  /**
   * Whether the request certainly has no body, told without reading it: `Content-Length: 0`, or on
   * Node an HTTP/1 request with neither Content-Length nor Transfer-Encoding (RFC 9112 §6.3); on
   * Workers a request whose body is null.
   */
  requestIsBodyless(c: Context): boolean;
  /** The caller's network address, for limits on public routes; 'unknown' when the runtime cannot tell. */
  clientAddress(c: Context): string;
}
