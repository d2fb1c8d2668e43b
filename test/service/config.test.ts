import { describe, expect, it } from 'vitest';

import { ConfigError, configFromEnv } from '../../api/config';

function failure(env: Record<string, string>): ConfigError {
  try {
    configFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('configuration in one place', () => {
  it('reads the Node settings with their defaults', () => {
    const config = configFromEnv({});
    expect(config.server).toEqual({ port: 3000, host: '0.0.0.0' });
    expect(config.database).toMatchObject({ url: undefined, poolSize: 10, dataDir: '.puente/data' });
    expect(config.background).toBe(true);
    expect(config.trustProxy).toBe(false);
    expect(config.metricsToken).toBeUndefined();
    expect(config.metricsPort).toBeUndefined();
    expect(configFromEnv({ PUENTE_METRICS_PORT: '9100' }).metricsPort).toBe(9100);
    const set = configFromEnv({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://u:p@db:5432/puente',
      DATABASE_POOL_SIZE: '20',
      PUENTE_DATA_DIR: '/var/lib/puente',
      PUENTE_BACKGROUND: '0',
      PUENTE_TRUST_PROXY: '1',
      PUENTE_METRICS_TOKEN: 'a-metrics-token-of-16+',
    });
    expect(set.server).toEqual({ port: 8080, host: '127.0.0.1' });
    expect(set.database).toMatchObject({
      url: 'postgres://u:p@db:5432/puente',
      poolSize: 20,
      dataDir: '/var/lib/puente',
    });
    expect(set.background).toBe(false);
    expect(set.trustProxy).toBe(true);
    expect(set.metricsToken).toBe('a-metrics-token-of-16+');
    expect(configFromEnv({ PUENTE_ADMIN_TOKEN: 'admin-token-of-32-characters-ok!' }).adminToken).toBe(
      'admin-token-of-32-characters-ok!',
    );
  });

  it('reads PUENTE_DEV_IDP as the other switches: 1/true on, 0/false off, unset on outside production', () => {
    expect(configFromEnv({}).devIdentityProvider).toBe(true);
    expect(configFromEnv({ PUENTE_DEV_IDP: 'true' }).devIdentityProvider).toBe(true);
    expect(configFromEnv({ PUENTE_DEV_IDP: '0' }).devIdentityProvider).toBe(false);
    expect(configFromEnv({ PUENTE_DEV_IDP: 'false' }).devIdentityProvider).toBe(false);
    const production = {
      PUENTE_ENV: 'production',
      PUENTE_SECRET_KEY: 'x'.repeat(32),
      PUENTE_BASE_URL: 'https://puente.example.es',
    };
    expect(configFromEnv(production).devIdentityProvider).toBe(false);
    expect(configFromEnv({ ...production, PUENTE_DEV_IDP: 'false' }).devIdentityProvider).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ PUENTE_BACKGROUND: 'yes' }, 'PUENTE_BACKGROUND'],
    [{ PORT: '0x10' }, 'PORT'],
    [{ PUENTE_METRICS_PORT: '9100x' }, 'PUENTE_METRICS_PORT'],
    [{ PUENTE_METRICS_PORT: '65536' }, 'PUENTE_METRICS_PORT'],
    [{ PORT: ' 80 ' }, 'PORT'],
    [{ PORT: '80.0' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PUENTE_RATE_LIMIT: '1e3' }, 'PUENTE_RATE_LIMIT'],
    [{ PUENTE_RATE_LIMIT: '0x10' }, 'PUENTE_RATE_LIMIT'],
    [{ DATABASE_POOL_SIZE: ' 10' }, 'DATABASE_POOL_SIZE'],
    [{ PUENTE_WEBHOOK_TIMEOUT_MS: '1_000' }, 'PUENTE_WEBHOOK_TIMEOUT_MS'],
    [{ PUENTE_WEBHOOKS_ALLOW_PRIVATE: 'yes' }, 'PUENTE_WEBHOOKS_ALLOW_PRIVATE'],
    [{ PUENTE_WEBHOOKS_ALLOW_PRIVATE: 'on' }, 'PUENTE_WEBHOOKS_ALLOW_PRIVATE'],
    [
      {
        PUENTE_ENV: 'production',
        PUENTE_SECRET_KEY: 'a-production-secret-of-32-characters-at-least',
        PUENTE_BASE_URL: 'https://puente.example.es',
        PUENTE_WEBHOOKS_ALLOW_PRIVATE: '1',
      },
      'PUENTE_WEBHOOKS_ALLOW_PRIVATE',
    ],
    [{ PUENTE_TRUST_PROXY: 'on' }, 'PUENTE_TRUST_PROXY'],
    [{ PUENTE_DEV_IDP: 'yes' }, 'PUENTE_DEV_IDP'],
    [{ PUENTE_DEV_IDP: 'off' }, 'PUENTE_DEV_IDP'],
    [{ PUENTE_METRICS_TOKEN: 'short' }, 'PUENTE_METRICS_TOKEN'],
    [{ PUENTE_ADMIN_TOKEN: 'admin' }, 'PUENTE_ADMIN_TOKEN'],
    [{ PUENTE_ADMIN_TOKEN: 'admin-token-31-characters-long!' }, 'PUENTE_ADMIN_TOKEN'],
    [{ PUENTE_ENV: 'staging' }, 'PUENTE_ENV'],
    [{ PUENTE_RATE_LIMIT_WINDOW: '86401' }, 'PUENTE_RATE_LIMIT_WINDOW'],
    [{ PUENTE_REGISTRATION_RATE_LIMIT_WINDOW: '172800' }, 'PUENTE_REGISTRATION_RATE_LIMIT_WINDOW'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PUENTE_CONSENT_TOKEN_TTL: '86400' }, 'PUENTE_CONSENT_TOKEN_TTL'],
    [{ PUENTE_CONSENT_TOKEN_TTL: '3601' }, 'PUENTE_CONSENT_TOKEN_TTL'],
    [{ PUENTE_CONSENT_TOKEN_TTL: '59' }, 'PUENTE_CONSENT_TOKEN_TTL'],
    [{ PUENTE_CONSENT_TOKEN_TTL: '5' }, 'PUENTE_CONSENT_TOKEN_TTL'],
    [{ PUENTE_ENV: 'production' }, 'PUENTE_SECRET_KEY'],
  ])('refuses %o, naming %s', (env, variable) => {
    expect(failure(env).variable).toBe(variable);
  });

  it('takes a default consent-token lifetime within what a firm may ask for: 60 to 3600 seconds', () => {
    expect(configFromEnv({}).consent.defaultLifetimeSeconds).toBe(600);
    expect(configFromEnv({ PUENTE_CONSENT_TOKEN_TTL: '60' }).consent.defaultLifetimeSeconds).toBe(60);
    expect(configFromEnv({ PUENTE_CONSENT_TOKEN_TTL: '3600' }).consent.defaultLifetimeSeconds).toBe(3600);
  });

  it('reads numbers as written, in digits, and switches as documented', () => {
    expect(configFromEnv({ PORT: '080' }).server.port).toBe(80);
    expect(configFromEnv({ PORT: '0' }).server.port).toBe(0);
    expect(configFromEnv({ PUENTE_RATE_LIMIT: '1000' }).rateLimit.limit).toBe(1000);
    expect(configFromEnv({}).webhooks.allowPrivateTargets).toBe(false);
    expect(configFromEnv({ PUENTE_WEBHOOKS_ALLOW_PRIVATE: '1' }).webhooks.allowPrivateTargets).toBe(true);
    expect(configFromEnv({ PUENTE_WEBHOOKS_ALLOW_PRIVATE: 'true' }).webhooks.allowPrivateTargets).toBe(true);
    expect(configFromEnv({ PUENTE_WEBHOOKS_ALLOW_PRIVATE: '0' }).webhooks.allowPrivateTargets).toBe(false);
  });

  it('refuses PUENTE_BACKGROUND=0 on the embedded database, where no delivery worker could do the work', () => {
    const refused = failure({ PUENTE_BACKGROUND: '0' });
    expect(refused.variable).toBe('PUENTE_BACKGROUND');
    expect(refused.message).toContain('DATABASE_URL');
    expect(failure({ PUENTE_BACKGROUND: 'false', DATABASE_URL: '' }).variable).toBe('PUENTE_BACKGROUND');
    expect(configFromEnv({ PUENTE_BACKGROUND: '0', DATABASE_URL: 'postgres://db/puente' }).background).toBe(false);
    expect(configFromEnv({ PUENTE_BACKGROUND: '1' }).background).toBe(true);
  });

  it('never lets the development identity provider, which signs anyone in as any DNI, run in production', () => {
    const production = {
      PUENTE_ENV: 'production',
      PUENTE_SECRET_KEY: 'a-production-secret-of-32-characters-at-least',
      PUENTE_BASE_URL: 'https://puente.example.es',
    };
    expect(configFromEnv(production).devIdentityProvider).toBe(false);
    expect(configFromEnv({ ...production, PUENTE_DEV_IDP: '0' }).devIdentityProvider).toBe(false);
    const refused = failure({ ...production, PUENTE_DEV_IDP: '1' });
    expect(refused.variable).toBe('PUENTE_DEV_IDP');
    expect(refused.message).toContain('production');
    // Outside production it is on unless turned off.
    expect(configFromEnv({ PUENTE_ENV: 'test' }).devIdentityProvider).toBe(true);
    expect(configFromEnv({ PUENTE_ENV: 'test', PUENTE_DEV_IDP: '0' }).devIdentityProvider).toBe(false);
  });

  it('requires PUENTE_BASE_URL in production, and an http(s) URL with a host wherever it is set', () => {
    const production = { PUENTE_ENV: 'production', PUENTE_SECRET_KEY: 'a-production-secret-of-32-characters-at-least' };
    const missing = failure(production);
    expect(missing.variable).toBe('PUENTE_BASE_URL');
    expect(missing.message).toContain('required in production');
    const set = configFromEnv({ ...production, PUENTE_BASE_URL: 'https://puente.example.es/' });
    expect(set.baseUrl).toBe('https://puente.example.es');
    expect(set.consent).toMatchObject({
      issuer: 'https://puente.example.es',
      audience: 'https://puente.example.es/v1',
    });
    expect(set.avisos.mailFrom).toBe('Puente <avisos@puente.example.es>');
    // Outside production, links point at this machine unless it is set.
    expect(configFromEnv({ PORT: '8080' }).baseUrl).toBe('http://localhost:8080');
    for (const value of [
      'localhost:3000',
      'puente.example.es',
      'ftp://puente.example.es',
      'https://',
      'http://x/?a=1',
    ]) {
      expect(failure({ PUENTE_BASE_URL: value }).variable, value).toBe('PUENTE_BASE_URL');
      expect(failure({ ...production, PUENTE_BASE_URL: value }).variable, value).toBe('PUENTE_BASE_URL');
    }
  });

  it("takes the citizens' identity provider whole, with a JWKS URL and asymmetric algorithms only", () => {
    const oidc = {
      PUENTE_OIDC_ISSUER: 'https://idp.example.es',
      PUENTE_OIDC_AUDIENCE: 'puente',
      PUENTE_OIDC_JWKS_URL: 'https://idp.example.es/jwks.json',
    };
    const production = {
      PUENTE_ENV: 'production',
      PUENTE_SECRET_KEY: 'a-production-secret-of-32-characters-at-least',
      PUENTE_BASE_URL: 'https://puente.example.es',
    };
    expect(configFromEnv(oidc).oidc).toEqual({
      issuer: 'https://idp.example.es',
      audience: 'puente',
      jwksUrl: 'https://idp.example.es/jwks.json',
      idNumberClaim: 'dni',
      nameClaim: 'name',
      algorithms: ['RS256', 'ES256', 'EdDSA'],
    });
    expect(configFromEnv({ ...oidc, PUENTE_OIDC_ALGORITHMS: 'PS256, ES384' }).oidc?.algorithms).toEqual([
      'PS256',
      'ES384',
    ]);
    // Not required, in production either: citizens may sign in elsewhere.
    expect(configFromEnv(production).oidc).toBeUndefined();
    expect(configFromEnv({ ...production, ...oidc }).oidc?.issuer).toBe('https://idp.example.es');
    // http only outside production.
    expect(configFromEnv({ ...oidc, PUENTE_OIDC_JWKS_URL: 'http://127.0.0.1:8080/jwks' }).oidc?.jwksUrl).toBe(
      'http://127.0.0.1:8080/jwks',
    );
    const cases: Array<[Record<string, string>, string]> = [
      [{ PUENTE_OIDC_AUDIENCE: 'puente', PUENTE_OIDC_JWKS_URL: oidc.PUENTE_OIDC_JWKS_URL }, 'PUENTE_OIDC_ISSUER'],
      [{ PUENTE_OIDC_ALGORITHMS: 'RS256' }, 'PUENTE_OIDC_ISSUER'],
      [{ PUENTE_OIDC_ISSUER: oidc.PUENTE_OIDC_ISSUER }, 'PUENTE_OIDC_AUDIENCE'],
      [{ ...oidc, PUENTE_OIDC_JWKS_URL: '' }, 'PUENTE_OIDC_JWKS_URL'],
      [{ ...oidc, PUENTE_OIDC_JWKS_URL: 'not a url' }, 'PUENTE_OIDC_JWKS_URL'],
      [{ ...oidc, PUENTE_OIDC_JWKS_URL: 'ftp://idp.example.es/jwks.json' }, 'PUENTE_OIDC_JWKS_URL'],
      [{ ...production, ...oidc, PUENTE_OIDC_JWKS_URL: 'http://idp.example.es/jwks.json' }, 'PUENTE_OIDC_JWKS_URL'],
      [{ ...oidc, PUENTE_OIDC_ALGORITHMS: 'none,HS256' }, 'PUENTE_OIDC_ALGORITHMS'],
      [{ ...oidc, PUENTE_OIDC_ALGORITHMS: 'RS256,HS512' }, 'PUENTE_OIDC_ALGORITHMS'],
      [{ ...oidc, PUENTE_OIDC_ALGORITHMS: 'RS256,' }, 'PUENTE_OIDC_ALGORITHMS'],
    ];
    for (const [env, variable] of cases) expect(failure(env).variable, JSON.stringify(env)).toBe(variable);
  });

  it('never repeats a database URL or a secret in the message', () => {
    const url = failure({ DATABASE_URL: 'not a url with secret-password' });
    expect(url.message).not.toContain('secret-password');
    const secret = failure({ PUENTE_SECRET_KEY: 'short-secret-value' });
    expect(secret.variable).toBe('PUENTE_SECRET_KEY');
    expect(secret.message).not.toContain('short-secret-value');
  });
  it('refuses a webhook lease that a delivery waiting for two rounds of its endpoint could outlive', () => {
    // Default timeout 15 s: the lease must be longer than 45 s.
    expect(failure({ PUENTE_WEBHOOK_LEASE_SECONDS: '45' }).variable).toBe('PUENTE_WEBHOOK_LEASE_SECONDS');
    expect(configFromEnv({ PUENTE_WEBHOOK_LEASE_SECONDS: '46' }).webhooks.leaseSeconds).toBe(46);
    expect(failure({ PUENTE_WEBHOOK_TIMEOUT_MS: '20000' }).variable).toBe('PUENTE_WEBHOOK_LEASE_SECONDS');
  });
  it('names the aviso variable at fault, never its value', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ PUENTE_SMTP_URL: 'http://mail.example.es' }, 'PUENTE_SMTP_URL'],
      [{ PUENTE_MAIL_FROM: 'not an address' }, 'PUENTE_MAIL_FROM'],
      [{ PUENTE_SMS_GATEWAY_URL: 'not a url', PUENTE_SMS_GATEWAY_SECRET: 'whsec_x' }, 'PUENTE_SMS_GATEWAY_URL'],
      [{ PUENTE_SMS_GATEWAY_URL: 'https://sms.example.es/send' }, 'PUENTE_SMS_GATEWAY_SECRET'],
      [{ PUENTE_AVISO_LEASE_SECONDS: '30' }, 'PUENTE_AVISO_LEASE_SECONDS'],
      [{ PUENTE_BASE_URL: 'puente.example.es' }, 'PUENTE_BASE_URL'],
    ];
    for (const [env, variable] of cases) {
      const error = failure(env);
      expect(error.variable, JSON.stringify(env)).toBe(variable);
      for (const value of Object.values(env)) if (value.length > 8) expect(error.message).not.toContain(value);
    }
  });
});
