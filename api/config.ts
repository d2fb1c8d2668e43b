export type Environment = 'development' | 'test' | 'production';

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
}

export type EnvSource = Record<string, string | undefined>;

/** Reads configuration from environment variables (process.env on Node, bindings on Workers). */
export function configFromEnv(env: EnvSource, overrides: Partial<Config> = {}): Config {
  const mode = env.PUENTE_ENV ?? 'development';
  if (mode !== 'development' && mode !== 'test' && mode !== 'production') {
    throw new Error(`PUENTE_ENV must be development, test or production (got "${mode}")`);
  }
  const port = env.PORT ?? '3000';
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be debug, info, warn, error or silent (got "${logLevel}")`);
  }
  return {
    env: mode,
    baseUrl: (env.PUENTE_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    adminToken: env.PUENTE_ADMIN_TOKEN || undefined,
    logLevel: logLevel as Config['logLevel'],
    maxJsonBodyBytes: positiveInt(env, 'PUENTE_MAX_JSON_BYTES', 1_048_576),
    rateLimit: { limit: positiveInt(env, 'PUENTE_RATE_LIMIT', 1200), windowSeconds: positiveInt(env, 'PUENTE_RATE_LIMIT_WINDOW', 60) },
    registrationRateLimit: {
      limit: positiveInt(env, 'PUENTE_REGISTRATION_RATE_LIMIT', 20),
      windowSeconds: positiveInt(env, 'PUENTE_REGISTRATION_RATE_LIMIT_WINDOW', 3600),
    },
    ...overrides,
  };
}

function positiveInt(env: EnvSource, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return value;
}
