import type { Context } from 'hono';

import type { Config } from './config';
import type { Sql } from './db/sql';
import type { Logger } from './http/logger';
import type { HitBuffer } from './http/rate-limit';
import type { Clock } from './lib/clock';
import type { CalendarStore } from './modules/calendar/store';
import type { SigningKeyStore } from './modules/consent/keys';

/** Files of the self-hosted API reference, read by whichever runtime serves the app. */
export interface DocsAssets {
  get(name: 'redoc.standalone.js'): Promise<string | undefined>;
}

/** One email, as the avisos outbox hands it to a transport. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Stable per aviso, so a receiver can tell a repeat from a new message. */
  messageId: string;
  headers: Record<string, string>;
}

/** Sends email through an SMTP server. Only Node has one (see api/node/mailer.ts); Workers have none. */
export interface Mailer {
  /** Resolves once the server accepted the message for delivery; rejects with the server's reason otherwise. */
  send(mail: OutgoingMail): Promise<{ response: string }>;
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
  /** Rate-limit hits this instance holds before writing them (see `HitBuffer`). */
  hits: HitBuffer;
  /** The holiday calendar, loaded from the database and cached per process with its version. */
  calendar: CalendarStore;
  /** Resolves a host name to its addresses (to refuse webhook targets on private networks); [] when the runtime cannot. */
  resolveHost(hostname: string): Promise<string[]>;
  /** The SMTP transport for email avisos, when this runtime has one and PUENTE_SMTP_URL is set. */
  mailer?: Mailer;
  /** The caller's network address, for limits on public routes; 'unknown' when the runtime cannot tell. */
  clientAddress(c: Context): string;
}
