// The Worker in the real runtime: `wrangler dev` runs api/worker.ts in workerd, locally, with the
// local PostgreSQL standing in for Hyperdrive. Runs in the PostgreSQL pass (DATABASE_URL set).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { configFromEnv } from '../../api/config';
import { ManualClock } from '../../api/lib/clock';
import { Puente } from '../../sdk/src';
import { testAppOver } from '../support/app';
import { openTestDatabase } from '../support/database';
import { registrationBody } from '../support/people';
import { startReceiver } from '../support/receiver';
import { freePort, ROOT } from '../support/server-process';

const enabled = Boolean(process.env.DATABASE_URL);
const BASE_URL = 'https://api.puente.test';

/** Nothing leaves the machine: no telemetry, no update check, no `Request.cf` download. */
const OFFLINE = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  CI: 'true',
};

interface Wrangler {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

async function startWrangler(connectionString: string, vars: Record<string, string>): Promise<Wrangler> {
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), 'puente-wrangler-'));
  const hyperdrive = new URL(connectionString);
  // Wrangler insists on a password in the local connection string; a trusting server ignores it.
  if (!hyperdrive.password) hyperdrive.password = 'local';
  const args = ['dev', '--local', '--test-scheduled', '--ip', '127.0.0.1', '--port', String(port)];
  args.push(
    '--inspector-port',
    String(await freePort()),
    '--persist-to',
    state,
    '--show-interactive-dev-session=false',
  );
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), ...args], {
    cwd: ROOT,
    // Its own process group, so stopping it stops workerd too.
    detached: true,
    env: {
      ...process.env,
      ...OFFLINE,
      WRANGLER_LOG_PATH: join(state, 'logs'),
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: hyperdrive.toString(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
    rmSync(state, { recursive: true, force: true });
  };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${out}`);
    if (Date.now() - started > 90_000) {
      await stop();
      throw new Error(`wrangler dev did not answer in 90 s:\n${out}`);
    }
    const res = await fetch(`${baseUrl}/health`).catch(() => undefined);
    if (res) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, output: () => out, stop };
}

function run(command: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, command, { cwd: ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!enabled)('the Worker in workerd (wrangler dev, local PostgreSQL as Hyperdrive)', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let worker: Wrangler;

  beforeAll(async () => {
    database = await openTestDatabase();
    // A public base URL of their own, as every instance of one deployment shares (the tokens' issuer).
    worker = await startWrangler(database.url!, {
      PUENTE_ENV: 'test',
      PUENTE_WEBHOOKS_ALLOW_PRIVATE: '1',
      PUENTE_BASE_URL: BASE_URL,
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await database?.close();
  });

  it('serves /health from the database through the Hyperdrive binding', async () => {
    const res = await fetch(`${worker.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { status: 'ok' } });
  });

  it('runs the quickstart example end to end', async () => {
    const result = await run(['--import', 'tsx', 'examples/quickstart.ts'], { PUENTE_BASE_URL: worker.baseUrl });
    expect(result.output).toContain('Filed');
    expect(result.code, result.output).toBe(0);
  }, 120_000);

  it("delivers a sandbox delegation request's webhook to a local receiver when the scheduled handler runs", async () => {
    const receiver = await startReceiver();
    try {
      const registered = await fetch(`${worker.baseUrl}/v1/organizations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(registrationBody()),
      });
      expect(registered.status).toBe(201);
      const { test_key } = (await registered.json()) as { test_key: { secret: string } };
      const puente = new Puente({ apiKey: test_key.secret, baseUrl: worker.baseUrl });
      const endpoint = await puente.webhookEndpoints.create({
        url: receiver.url,
        description: 'workerd test',
        event_types: ['delegation_request.accepted'],
      });
      const request = await puente.delegationRequests.create({
        citizen: { id_number: '11111111H', name: 'Carmen López García', contact: 'carmen.lopez@example.es' },
        scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult'] },
        valid_until: '2027-12-31',
      });
      const accepted = await puente.sandbox.acceptDelegationRequest(request.id);
      // The Worker has no loop of its own: nothing is delivered until the Cron Trigger fires.
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.received).toHaveLength(0);

      const trigger = await fetch(`${worker.baseUrl}/__scheduled?cron=*+*+*+*+*`);
      expect(trigger.status).toBe(200);
      for (let i = 0; i < 100 && receiver.received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(receiver.received).toHaveLength(1);
      const delivered = JSON.parse(receiver.received[0]!.body) as { type: string; data: Record<string, unknown> };
      expect(delivered.type).toBe('delegation_request.accepted');
      expect(delivered.data).toMatchObject({
        delegation_request_id: request.id,
        delegation_id: accepted.delegation_id,
      });
      expect(receiver.received[0]!.headers['webhook-signature']).toMatch(/^v1a?,/);
      // Recorded as delivered once the handler's batch finished.
      let deliveries: { status: string }[] = [];
      for (let i = 0; i < 50; i++) {
        deliveries = await database.sql<{ status: string }[]>`
          select status from webhook_deliveries where endpoint_id = ${endpoint.id}`;
        if (deliveries[0]?.status === 'succeeded') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(deliveries.map((d) => d.status)).toEqual(['succeeded']);
    } finally {
      await receiver.close();
    }
  }, 60_000);

  it('replays to an upload retried on the Worker the response Node stored for its first attempt', async () => {
    const post = async (base: string, path: string, headers: Record<string, string>, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (await res.json()) as Record<string, any>;
    };
    const base = worker.baseUrl;
    const { test_key } = await post(base, '/v1/organizations', {}, registrationBody());
    const auth = { authorization: `Bearer ${test_key.secret}` };
    const request = await post(base, '/v1/delegation-requests', auth, {
      citizen: { id_number: '11111111H', name: 'Carmen López García' },
      scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file'] },
      valid_until: '2027-12-31',
    });
    const accepted = await post(base, `/v1/sandbox/delegation-requests/${request.id}/accept`, auth);
    const { token } = await post(base, `/v1/delegations/${accepted.delegation_id}/consent-tokens`, auth, {
      lifetime_seconds: 600,
    });
    const draft = await post(base, '/v1/procedures', { ...auth, 'puente-consent': token }, { type: 'JUB', form: {} });

    // A PDF with bytes 0x80–0x9F, which text decoders read differently on Node and in workerd.
    const pdf = new Uint8Array([...new TextEncoder().encode('%PDF-1.4\n%'), 0x80, 0x93, 0x9f, 0xe9, 0x0a]);
    const multipart = (boundary: string) =>
      new Uint8Array([
        ...new TextEncoder().encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nDNI_NIE\r\n--${boundary}\r\n` +
            `Content-Disposition: form-data; name="file"; filename="dni.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        ...pdf,
        ...new TextEncoder().encode(`\r\n--${boundary}--\r\n`),
      ]);
    const send = (boundary: string) => ({
      method: 'POST',
      headers: {
        ...auth,
        'puente-consent': token,
        'idempotency-key': `upload-${draft.id}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body: multipart(boundary),
    });
    // The first attempt reaches a Node instance of the same deployment (same database, secrets, base
    // URL; its clock the real one too).
    const node = testAppOver(
      database,
      configFromEnv({ PUENTE_ENV: 'test', PUENTE_BASE_URL: BASE_URL }),
      new ManualClock(new Date()),
    );
    const first = await node.app.request(`/v1/procedures/${draft.id}/documents`, send('node-boundary-1'));
    expect(first.status, await first.clone().text()).toBe(201);
    // The retry, with a boundary of its own, reaches the Worker: same fingerprint, and the stored
    // response (sealed with node:crypto) opened with WebCrypto.
    const retry = await fetch(`${base}/v1/procedures/${draft.id}/documents`, send('worker-boundary-22'));
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.text()).toBe(await first.text());
    const [row] = await database.sql<{ n: number }[]>`
      select count(*)::int as n from documents where procedure_id = ${draft.id}`;
    expect(row!.n).toBe(1);
  }, 60_000);

  it('answers every request with configuration_invalid naming a missing or invalid secret, never its value', async () => {
    // Production is wrangler.toml's default: one Worker without the secret, one with a short one.
    const [missing, invalid] = await Promise.all([
      startWrangler(database.url!, { PUENTE_ENV: 'production' }),
      startWrangler(database.url!, { PUENTE_ENV: 'production', PUENTE_SECRET_KEY: 'too-short-secret-value' }),
    ]);
    try {
      for (const worker of [missing, invalid]) {
        for (const path of ['/health', '/v1/procedure-types']) {
          const res = await fetch(`${worker.baseUrl}${path}`);
          expect(res.status).toBe(500);
          expect(res.headers.get('content-type')).toBe('application/problem+json');
          const text = await res.text();
          expect(JSON.parse(text)).toMatchObject({ code: 'configuration_invalid', variable: 'PUENTE_SECRET_KEY' });
          expect(text).not.toContain('too-short-secret-value');
        }
      }
    } finally {
      await Promise.all([missing.stop(), invalid.stop()]);
    }
  }, 120_000);
});
