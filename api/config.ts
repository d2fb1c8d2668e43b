export type Environment = 'development' | 'test' | 'production';

/** A variable with a value the service cannot run with; `variable` names it (the message never repeats a secret). */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Config {
  env: Environment;
  /** Public base URL of this service, used in links (approval pages, docs). */
  baseUrl: string;
  /** Bearer token of the platform administrator; admin routes do not exist without it. */
  adminToken?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Largest JSON body accepted, in bytes. */
  maxJsonBodyBytes: number;
  /** Requests per window for each credential. */
  rateLimit: { limit: number; windowSeconds: number };
  /** Public sign-ups per window for each client address. */
  registrationRateLimit: { limit: number; windowSeconds: number };
  /** Encrypts secrets at rest (signing keys). Required in production. */
  secretKey: string;
  consent: {
    issuer: string;
    audience: string;
    defaultLifetimeSeconds: number;
    maxLifetimeSeconds: number;
  };
  /** How long a worker's claim on a batch of delegation requests lasts; another worker takes over after it. */
  batchLeaseSeconds: number;
  /** Days a delegation request waits for the citizen before it expires. */
  delegationRequestTtlDays: number;
  /** An external OpenID Connect provider for citizens (Cl@ve or a broker in front of it). */
  oidc?: {
    issuer: string;
    audience: string;
    jwksUrl: string;
    idNumberClaim: string;
    nameClaim: string;
    algorithms: string[];
  };
  /** The built-in development identity provider: on outside production unless disabled. */
  devIdentityProvider: boolean;
  webhooks: {
    /** Endpoint URLs must be https (production). */
    requireHttps: boolean;
    /** Allow loopback and private targets: for local development and tests only. */
    allowPrivateTargets: boolean;
    timeoutMs: number;
    /** How long a worker's claim on a delivery lasts; longer than the timeout, so one attempt never overlaps another. */
    leaseSeconds: number;
    /** Deliveries one worker sends at the same time at most (default 64). */
    concurrency?: number;
    /** Of those, to any one endpoint at most (default 16), so a slow endpoint cannot hold up the others. */
    perEndpointConcurrency?: number;
  };
  /** Where the Node server listens. */
  server: { port: number; host: string };
  /** The database of the Node processes: PostgreSQL at `url`, or the embedded default kept in `dataDir`. */
  database: { url?: string; poolSize: number; dataDir: string; migrationsDir?: string };
  /** `npm start` runs the delivery worker, the batch worker and the scheduler in-process. */
  background: boolean;
  /** Take the client address from `X-Forwarded-For` (behind a reverse proxy the operator runs). */
  trustProxy: boolean;
  /** Bearer token for `GET /metrics`; the route answers 404 without one. */
  metricsToken?: string;
  /** Where `npm run delivery-worker` serves `GET /metrics` and `GET /health` (on HOST); none when unset. */
  metricsPort?: number;
  /** Messages to citizens (email and SMS). */
  avisos: {
    /** SMTP server for email avisos (`smtp://user:pass@host:587`, `smtps://…`); none: development mailbox outside production. */
    smtpUrl?: string;
    /** Sender of email avisos. */
    mailFrom: string;
    /** HTTP gateway SMS avisos are posted to; none: development mailbox outside production. */
    smsGatewayUrl?: string;
    /** Standard Webhooks secret (`whsec_…`) that signs each request to the SMS gateway. */
    smsGatewaySecret?: string;
    /** How long a worker's claim on an aviso lasts (longer than an SMTP or gateway call may take). */
    leaseSeconds: number;
    /** Attempts before an aviso is given up. */
    maxAttempts: number;
  };
}

export type EnvSource = Record<string, string | undefined>;

/** The configuration of a Node process, from its environment (the one place that reads `process.env`). */
export function configFromProcessEnv(overrides: Partial<Config> = {}): Config {
  return configFromEnv(process.env, overrides);
}

/** Reads configuration from environment variables (process.env on Node, bindings on Workers). */
export function configFromEnv(env: EnvSource, overrides: Partial<Config> = {}): Config {
  const mode = oneOf(env, 'PUENTE_ENV', ['development', 'test', 'production'] as const, 'development');
  const port = String(portNumber(env, 'PORT') ?? 3000);
  const logLevel = oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'info');
  const secret = secretKey(env, mode);
  const base = baseUrl(env, port, mode);
  return checked({
    env: mode,
    baseUrl: base,
    adminToken: optionalToken(env, 'PUENTE_ADMIN_TOKEN', 32),
    logLevel: logLevel as Config['logLevel'],
    maxJsonBodyBytes: positiveInt(env, 'PUENTE_MAX_JSON_BYTES', 1_048_576),
    rateLimit: {
      limit: positiveInt(env, 'PUENTE_RATE_LIMIT', 1200),
      windowSeconds: positiveInt(env, 'PUENTE_RATE_LIMIT_WINDOW', 60, MAX_RATE_LIMIT_WINDOW),
    },
    registrationRateLimit: {
      limit: positiveInt(env, 'PUENTE_REGISTRATION_RATE_LIMIT', 20),
      windowSeconds: positiveInt(env, 'PUENTE_REGISTRATION_RATE_LIMIT_WINDOW', 3600, MAX_RATE_LIMIT_WINDOW),
    },
    secretKey: secret,
    consent: {
      issuer: base,
      audience: `${base}/v1`,
      // The bounds a firm may ask for when it mints one (`lifetime_seconds`).
      defaultLifetimeSeconds: positiveInt(env, 'PUENTE_CONSENT_TOKEN_TTL', 600, 3600, 60),
      maxLifetimeSeconds: 3600,
    },
    delegationRequestTtlDays: positiveInt(env, 'PUENTE_DELEGATION_REQUEST_TTL_DAYS', 21),
    batchLeaseSeconds: positiveInt(env, 'PUENTE_BATCH_LEASE_SECONDS', 60),
    oidc: oidcConfig(env, mode),
    devIdentityProvider: devIdentityProvider(env, mode),
    webhooks: {
      requireHttps: mode === 'production',
      allowPrivateTargets: allowPrivateTargets(env, mode),
      timeoutMs: positiveInt(env, 'PUENTE_WEBHOOK_TIMEOUT_MS', 15_000),
      leaseSeconds: positiveInt(env, 'PUENTE_WEBHOOK_LEASE_SECONDS', 60),
      concurrency: positiveInt(env, 'PUENTE_WEBHOOK_CONCURRENCY', 64),
      perEndpointConcurrency: positiveInt(env, 'PUENTE_WEBHOOK_ENDPOINT_CONCURRENCY', 16),
    },
    server: { port: Number(port), host: env.HOST || '0.0.0.0' },
    database: {
      url: databaseUrl(env),
      poolSize: positiveInt(env, 'DATABASE_POOL_SIZE', 10),
      dataDir: env.PUENTE_DATA_DIR || '.puente/data',
      migrationsDir: env.PUENTE_MIGRATIONS_DIR || undefined,
    },
    background: background(env),
    trustProxy: flag(env, 'PUENTE_TRUST_PROXY', false),
    metricsToken: optionalToken(env, 'PUENTE_METRICS_TOKEN', 16),
    metricsPort: portNumber(env, 'PUENTE_METRICS_PORT'),
    avisos: avisosConfig(env, mode, base),
    ...overrides,
  });
}

function checked(config: Config): Config {
  // A claimed delivery may wait for two rounds of its endpoint's slots before its own attempt
  // (api/modules/webhooks/delivery.ts): the claim must outlast three timeouts, or it could be sent twice.
  if (config.webhooks.leaseSeconds * 1000 <= 3 * config.webhooks.timeoutMs) {
    throw new ConfigError(
      'PUENTE_WEBHOOK_LEASE_SECONDS',
      'PUENTE_WEBHOOK_LEASE_SECONDS must be longer than three webhook timeouts (PUENTE_WEBHOOK_TIMEOUT_MS)',
    );
  }
  return config;
}

/** The development identity provider: on outside production unless `PUENTE_DEV_IDP=0`; never in production. */
function devIdentityProvider(env: EnvSource, mode: Environment): boolean {
  const on = flag(env, 'PUENTE_DEV_IDP', mode !== 'production');
  // It signs anyone in as any DNI: in production citizens sign in only through their identity provider.
  if (on && mode === 'production')
    throw new ConfigError(
      'PUENTE_DEV_IDP',
      'PUENTE_DEV_IDP cannot turn the development identity provider on in production: it signs anyone in as any DNI',
    );
  return on;
}

/** Webhooks to loopback and private addresses: for local development and tests, never in production. */
function allowPrivateTargets(env: EnvSource, mode: Environment): boolean {
  const on = flag(env, 'PUENTE_WEBHOOKS_ALLOW_PRIVATE', false);
  if (on && mode === 'production')
    throw new ConfigError(
      'PUENTE_WEBHOOKS_ALLOW_PRIVATE',
      'PUENTE_WEBHOOKS_ALLOW_PRIVATE cannot be on in production: webhooks would reach private addresses',
    );
  return on;
}

/**
 * `npm start` runs the background work unless told not to; then only delivery workers run it, and
 * they need PostgreSQL (the embedded database is the server's alone): without DATABASE_URL nothing
 * would ever deliver a webhook, send an aviso or run the scheduler.
 */
function background(env: EnvSource): boolean {
  const on = flag(env, 'PUENTE_BACKGROUND', true);
  if (!on && !env.DATABASE_URL)
    throw new ConfigError(
      'PUENTE_BACKGROUND',
      'PUENTE_BACKGROUND=0 needs DATABASE_URL: with the embedded database only npm start can run the background work (webhook deliveries, avisos, the scheduler), since delivery workers need PostgreSQL',
    );
  return on;
}

function avisosConfig(env: EnvSource, mode: Environment, base: string): Config['avisos'] {
  const smtpUrl = env.PUENTE_SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl))
    throw new ConfigError('PUENTE_SMTP_URL', 'PUENTE_SMTP_URL must be an smtp:// or smtps:// URL');
  const host = hostOf(base);
  const mailFrom = env.PUENTE_MAIL_FROM || `Puente <avisos@${host.includes('.') ? host : `${host}.localdomain`}>`;
  if (!/^[^\r\n]*<?[^\s<>@]+@[^\s<>@]+>?$/.test(mailFrom))
    throw new ConfigError(
      'PUENTE_MAIL_FROM',
      'PUENTE_MAIL_FROM must be an address, optionally with a name: "Puente <avisos@example.es>"',
    );
  const smsGatewayUrl = env.PUENTE_SMS_GATEWAY_URL || undefined;
  const smsGatewaySecret = env.PUENTE_SMS_GATEWAY_SECRET || undefined;
  if (smsGatewayUrl) {
    let url: URL;
    try {
      url = new URL(smsGatewayUrl);
    } catch {
      throw new ConfigError('PUENTE_SMS_GATEWAY_URL', 'PUENTE_SMS_GATEWAY_URL must be a URL');
    }
    if (url.protocol !== 'https:' && (mode === 'production' || url.protocol !== 'http:'))
      throw new ConfigError(
        'PUENTE_SMS_GATEWAY_URL',
        'PUENTE_SMS_GATEWAY_URL must be https (http is allowed outside production)',
      );
    if (!smsGatewaySecret)
      throw new ConfigError(
        'PUENTE_SMS_GATEWAY_SECRET',
        'PUENTE_SMS_GATEWAY_SECRET is required with PUENTE_SMS_GATEWAY_URL',
      );
  }
  if (smsGatewaySecret && !/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/.test(smsGatewaySecret))
    throw new ConfigError(
      'PUENTE_SMS_GATEWAY_SECRET',
      'PUENTE_SMS_GATEWAY_SECRET must be a Standard Webhooks secret: whsec_ and base64 of 24 bytes or more',
    );
  return {
    smtpUrl,
    mailFrom,
    smsGatewayUrl,
    smsGatewaySecret,
    leaseSeconds: avisoLease(env),
    maxAttempts: positiveInt(env, 'PUENTE_AVISO_MAX_ATTEMPTS', 8),
  };
}

function avisoLease(env: EnvSource): number {
  const seconds = positiveInt(env, 'PUENTE_AVISO_LEASE_SECONDS', 120);
  // Longer than one SMTP attempt may take (api/node/mailer.ts), so a claim never lapses mid-send.
  if (seconds < 90)
    throw new ConfigError('PUENTE_AVISO_LEASE_SECONDS', 'PUENTE_AVISO_LEASE_SECONDS must be at least 90');
  return seconds;
}

function hostOf(base: string): string {
  return new URL(base).hostname;
}

/**
 * The public URL citizens and firms reach this service at: every link sent to a citizen, the
 * consent tokens' issuer and audience and the mail sender derive from it. Outside production it
 * defaults to localhost; in production a default would send citizens there, so it is required.
 */
function baseUrl(env: EnvSource, port: string, mode: Environment): string {
  const raw = env.PUENTE_BASE_URL;
  if (raw === undefined || raw === '') {
    if (mode === 'production')
      throw new ConfigError(
        'PUENTE_BASE_URL',
        'PUENTE_BASE_URL is required in production: the public URL of this service (https://…), used in the links sent to citizens and in consent tokens',
      );
    return `http://localhost:${port}`;
  }
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    !url.hostname ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  )
    throw new ConfigError(
      'PUENTE_BASE_URL',
      'PUENTE_BASE_URL must be an http:// or https:// URL with a host and no query (https://…)',
    );
  return raw.replace(/\/$/, '');
}

const OIDC_VARIABLES = [
  'PUENTE_OIDC_ISSUER',
  'PUENTE_OIDC_AUDIENCE',
  'PUENTE_OIDC_JWKS_URL',
  'PUENTE_OIDC_ID_CLAIM',
  'PUENTE_OIDC_NAME_CLAIM',
  'PUENTE_OIDC_ALGORITHMS',
] as const;

/** Signatures an identity provider makes with a private key; never `none` or a shared secret (HS*). */
const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * The citizens' identity provider: all of issuer, audience and JWKS URL, or none of them (a part
 * of it would be ignored, and citizens could not sign in without anyone being told why).
 */
function oidcConfig(env: EnvSource, mode: Environment): Config['oidc'] {
  if (!OIDC_VARIABLES.some((name) => env[name])) return undefined;
  const issuer = required(env, 'PUENTE_OIDC_ISSUER', 'with any other PUENTE_OIDC_ variable');
  const audience = required(env, 'PUENTE_OIDC_AUDIENCE', 'with PUENTE_OIDC_ISSUER');
  const jwksUrl = required(env, 'PUENTE_OIDC_JWKS_URL', 'with PUENTE_OIDC_ISSUER');
  let url: URL | undefined;
  try {
    url = new URL(jwksUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && (mode === 'production' || url.protocol !== 'http:')))
    throw new ConfigError(
      'PUENTE_OIDC_JWKS_URL',
      'PUENTE_OIDC_JWKS_URL must be an https URL (http is allowed outside production)',
    );
  const algorithms = (env.PUENTE_OIDC_ALGORITHMS || 'RS256,ES256,EdDSA').split(',').map((a) => a.trim());
  const refused = algorithms.find((a) => !OIDC_ALGORITHMS.includes(a));
  if (refused !== undefined)
    throw new ConfigError(
      'PUENTE_OIDC_ALGORITHMS',
      `PUENTE_OIDC_ALGORITHMS must list asymmetric signature algorithms only (${OIDC_ALGORITHMS.join(', ')}; got "${refused}")`,
    );
  return {
    issuer,
    audience,
    jwksUrl,
    idNumberClaim: env.PUENTE_OIDC_ID_CLAIM || 'dni',
    nameClaim: env.PUENTE_OIDC_NAME_CLAIM || 'name',
    algorithms,
  };
}

function required(env: EnvSource, name: string, when?: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(name, `${name} is required${when ? ` ${when}` : ''}`);
  return value;
}

const DEVELOPMENT_SECRET = 'puente-development-secret-not-for-production';

function secretKey(env: EnvSource, mode: Environment): string {
  const value = env.PUENTE_SECRET_KEY;
  if (value) {
    if (value.length < 32)
      throw new ConfigError('PUENTE_SECRET_KEY', 'PUENTE_SECRET_KEY must be at least 32 characters');
    return value;
  }
  if (mode === 'production') throw new ConfigError('PUENTE_SECRET_KEY', 'PUENTE_SECRET_KEY is required in production');
  return DEVELOPMENT_SECRET;
}

/** Rate-limit windows last a day at most: the scheduler deletes the rows of windows older than that. */
export const MAX_RATE_LIMIT_WINDOW = 86_400;

function positiveInt(env: EnvSource, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Digits only: Number() would also read " 80 ", 0x10 or 1e3.
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new ConfigError(name, `${name} must be a positive integer (got "${raw}")`);
  if (value > max) throw new ConfigError(name, `${name} must be at most ${max} (got "${raw}")`);
  if (value < min) throw new ConfigError(name, `${name} must be at least ${min} (got "${raw}")`);
  return value;
}

/** A port number, 0 to 65535, in digits; undefined when unset. */
function portNumber(env: EnvSource, name: 'PORT' | 'PUENTE_METRICS_PORT'): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value > 65_535) {
    throw new ConfigError(name, `${name} must be a port number, 0 to 65535 (got "${raw}")`);
  }
  return value;
}

function oneOf<T extends string>(env: EnvSource, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `${name} must be ${values.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

function flag(env: EnvSource, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new ConfigError(name, `${name} must be 1 or 0 (got "${raw}")`);
}

function databaseUrl(env: EnvSource): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Never echo the value: it may hold a password.
    throw new ConfigError('DATABASE_URL', 'DATABASE_URL is not a valid URL (postgres://user:password@host:5432/name)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', 'DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return raw;
}

/**
 * An optional bearer token, unset when empty, refused when shorter than `min` characters. The
 * platform administrator's verifies and suspends organisations: as long as the secret key (32); the
 * metrics token reads operational figures (16).
 */
function optionalToken(env: EnvSource, name: 'PUENTE_ADMIN_TOKEN' | 'PUENTE_METRICS_TOKEN', min: number) {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (value.length < min) throw new ConfigError(name, `${name} must be at least ${min} characters`);
  return value;
}
