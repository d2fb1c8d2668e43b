import type { Context } from 'hono';
import type { JWK, JWTPayload } from 'jose';

import type { Config } from './config';
import type { Sql, SqlFragment } from './db/sql';
import type { KeyUses } from './http/auth';
import type { Logger } from './http/logger';
import type { HitBuffer } from './http/rate-limit';
import type { CalendarSnapshot } from './lib/calendar';
import type { Clock } from './lib/clock';
import type { SecretBox } from './lib/crypto-box';
import type { Ed25519PrivateKey, Ed25519PublicKey } from './lib/ed25519';
import type { HmacSha256 } from './lib/hmac';
import type { Metrics } from './lib/metrics';

/** Files of the self-hosted API reference, read by whichever runtime serves the app. */
export interface DocsAssets {
  get(name: 'redoc.standalone.js'): Promise<string | undefined>;
}

export type KeyPurpose = 'consent' | 'dev_idp';

export interface SigningKey {
  kid: string;
  /** For jose (the development identity provider's ID tokens). */
  privateKey: CryptoKey;
  /** The same key through the runtime's own Ed25519 (consent tokens, signed on every mint). */
  signer: Ed25519PrivateKey;
}

/** Ed25519 signing keys shared by every instance (modules/consent/keys.ts). */
export interface SigningKeys {
  signingKey(sql: Sql, purpose: KeyPurpose, now: Date): Promise<SigningKey>;
  verificationKey(sql: Sql, purpose: KeyPurpose, kid: string): Promise<CryptoKey | undefined>;
  verifier(sql: Sql, purpose: KeyPurpose, kid: string): Promise<Ed25519PublicKey | undefined>;
  recallVerified(token: string): JWTPayload | undefined;
  rememberVerified(token: string, payload: JWTPayload): void;
  jwks(sql: Sql, purpose: KeyPurpose, now: Date): Promise<{ keys: JWK[] }>;
  rotate(sql: Sql, purpose: KeyPurpose, now: Date): Promise<string>;
}

/** The calendar of this process (holidays, places, each procedure type's terms), cached with its version (modules/calendar/store.ts). */
export interface Calendar {
  ensure(sql: Sql, knownVersion?: number): Promise<CalendarSnapshot>;
  /** The snapshot in memory, if one was loaded (for callers that must not wait). */
  peek(): CalendarSnapshot | undefined;
  /** A snapshot read inside the transaction that changed the data, adopted once it committed. */
  adopt(snapshot: CalendarSnapshot): void;
}

/**
 * Where document bytes live. PostgreSQL by default (written in the caller's transaction, so a
 * failed upload leaves nothing behind); an object store can implement the same three calls.
 */
export interface DocumentStorage {
  put(sql: Sql, key: string, bytes: Uint8Array): Promise<void>;
  get(sql: Sql, key: string): Promise<Uint8Array | undefined>;
  /** When the bytes live in the database: an expression for those of the document row `d`, read in the same statement. */
  contentOf?(sql: Sql): SqlFragment;
}

/** SHA-256 as lowercase hex, through whatever the runtime does fastest (it hashes every API key on every request). */
export type Sha256 = (data: string | Uint8Array) => Promise<string>;

/** One access-log entry as a consented read records it. */
export interface AccessLogRecord {
  id: string;
  citizenId: string;
  delegationId: string | null;
  organizationId: string;
  memberId: string | null;
  livemode: boolean;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  requestId: string | null;
  at: Date;
  /** Who acted: the organisation (the default), the citizen on their own procedure, or the agency that decides it. */
  actorType?: 'organization' | 'citizen' | 'agency';
  /** The agency key that read, when the agency did. */
  agencyKeyId?: string | null;
}

/** Entries committed in batches shared by concurrent requests; `add` settles when the batch carrying it committed. */
export interface AccessLogBatch {
  add(entry: AccessLogRecord): Promise<void>;
  /** Batches committed so far. */
  readonly commits: number;
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
  signingKeys: SigningKeys;
  /**
   * The group-committed access log of consented reads, where the runtime has a pool to commit
   * its batches on (Node on PostgreSQL). Absent on the embedded database (one connection) and on
   * Workers (a client per request): there a read writes its entry in its own statement.
   */
  accessLog?: AccessLogBatch;
  /** Rate-limit hits this instance holds before writing them (see `HitBuffer`). */
  hits: HitBuffer;
  /** When each API key's use was last recorded, as this instance saw it (see `KeyUses`). */
  keyUses: KeyUses;
  /** The calendar (holidays, places, each procedure type's terms), loaded from the database and cached per process with its version. */
  calendar: Calendar;
  sha256: Sha256;
  /** HMAC-SHA256 for webhook signatures, through the runtime's fastest implementation. */
  hmacSha256: HmacSha256;
  /** Seals secrets kept at rest (signing keys, webhook secrets, replayable responses) under the configured secret. */
  secretBox: SecretBox;
  /** Where uploaded documents are kept. */
  documents: DocumentStorage;
  /** Counters, gauges and histograms for `GET /metrics` (a no-op where nothing collects them). */
  metrics: Metrics;
  /** Resolves a host name to its addresses (to refuse webhook targets on private networks); [] when the runtime cannot. */
  resolveHost(hostname: string): Promise<string[]>;
  /**
   * Whether the request certainly has no body, told without reading it: `Content-Length: 0`, or on
   * Node an HTTP/1 request with neither Content-Length nor Transfer-Encoding (RFC 9112 §6.3); on
   * Workers a request whose body is null.
   */
  requestIsBodyless(c: Context): boolean;
  /**
   * The request's body read straight from the runtime's own request, where it can be: on Node an
   * HTTP/1 body with a Content-Length and no Transfer-Encoding, not yet read. Answers undefined
   * elsewhere (Workers, chunked bodies); the body is then read through the web `Request`.
   */
  readBody?(c: Context): Promise<Uint8Array> | undefined;
  /** The SMTP transport for email avisos, when this runtime has one and PUENTE_SMTP_URL is set. */
  mailer?: Mailer;
  /** The caller's network address, for limits on public routes; 'unknown' when the runtime cannot tell. */
  clientAddress(c: Context): string;
}
