import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { Webhook } from 'standardwebhooks';

import { createSql } from '../../api/db/client';
import { FORMS, PDF_BYTES } from '../support/forms';
import { dni, registrationBody } from '../support/people';
import { startReceiver } from '../support/receiver';
import { ROOT, type ServerProcess, startServer } from '../support/server-process';

/**
 * A bounded soak: one API server (no in-process worker) and two separate delivery workers on one
 * PostgreSQL database, under mixed traffic from concurrent clients. The receiver refuses one first
 * attempt in thirty and one worker is killed halfway, so retries and lease expiry are part of the
 * run. The report carries what the invariants need: 5xx and transport errors, events committed
 * versus delivered, writes acknowledged versus stored, and the server's memory over time.
 */
export interface SoakOptions {
  databaseUrl: string;
  seconds: number;
  clients?: number;
  drainTimeoutMs?: number;
}

export interface SoakReport {
  seconds: number;
  clients: number;
  requests: number;
  requests_per_second: number;
  by_operation: Record<string, { count: number; p50_ms: number; p99_ms: number }>;
  status_counts: Record<string, number>;
  server_errors: { method: string; path: string; status: number; body: string }[];
  transport_errors: string[];
  unexpected: string[];
  procedures_acknowledged: number;
  procedures_stored: number;
  procedures_without_timeline: number;
  idempotent_replays_mismatched: number;
  events_committed: number;
  events_delivered: number;
  deliveries_refused_first_time: number;
  signature_failures: number;
  drain_ms: number;
  workers_alive: number;
  rss_mb: { after_warmup: number; peak: number; end: number; first_third_peak: number; last_third_peak: number };
}

const SCOPE = { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] };

function percentile(sorted: number[], p: number): number {
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!) : 0;
}

function rssOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/scripts/delivery-worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.resume();
  return child;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const clients = options.clients ?? 12;
  const refusedFirst = new Set<string>();
  // One first attempt in thirty answers 503; the retry 5 s later is accepted.
  const receiver = await startReceiver((r) => {
    const id = String(r.headers['webhook-id']);
    if (createHash('sha256').update(id).digest()[0]! % 30 === 0 && !refusedFirst.has(id)) {
      refusedFirst.add(id);
      return { status: 503 };
    }
    return { status: 200, delayMs: 5 };
  });
  const env = {
    DATABASE_URL: options.databaseUrl,
    PUENTE_BACKGROUND: '0',
    PUENTE_WEBHOOKS_ALLOW_PRIVATE: '1',
    PUENTE_ENV: 'development',
    PUENTE_BASE_URL: 'http://puente.soak.test',
    LOG_LEVEL: 'warn',
    // The soak measures the service, not the per-key quota.
    PUENTE_RATE_LIMIT: '10000000',
    // A killed worker's claimed deliveries go back to the queue after this lease.
    PUENTE_WEBHOOK_LEASE_SECONDS: '5',
    PUENTE_WEBHOOK_TIMEOUT_MS: '1500',
  };
  const server: ServerProcess = await startServer(env);
  const workers = [startWorker(env), startWorker(env)];
  const base = server.baseUrl;

  const statusCounts: Record<string, number> = {};
  const serverErrors: SoakReport['server_errors'] = [];
  const transportErrors: string[] = [];
  const unexpected: string[] = [];
  const latencies: Record<string, number[]> = {};
  let requests = 0;

  async function call(
    op: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
    expected: number[] = [200, 201],
  ): Promise<any> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const t0 = performance.now();
    let res: Response;
    try {
      res = await fetch(base + path, init);
    } catch (error) {
      transportErrors.push(`${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const text = await res.text();
    (latencies[op] ??= []).push(performance.now() - t0);
    requests++;
    statusCounts[res.status] = (statusCounts[res.status] ?? 0) + 1;
    if (res.status >= 500) serverErrors.push({ method, path, status: res.status, body: text.slice(0, 300) });
    else if (!expected.includes(res.status))
      unexpected.push(`${op}: ${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
    return text && res.headers.get('content-type')?.includes('json')
      ? { status: res.status, body: JSON.parse(text), headers: res.headers }
      : { status: res.status, headers: res.headers };
  }

  const registration = (await call('setup', 'POST', '/v1/organizations', {}, registrationBody()))!.body;
  const key = { authorization: `Bearer ${registration.test_key.secret}` };
  const hook = (await call('setup', 'POST', '/v1/webhook-endpoints', key, { url: receiver.url }))!.body;

  let citizenSeed = 40_000_000 + Math.floor(Math.random() * 1_000_000);
  async function newDelegation(): Promise<{ delegationId: string; token: string } | undefined> {
    const request = await call('delegate', 'POST', '/v1/delegation-requests', key, {
      citizen: { id_number: dni(citizenSeed++) },
      scope: SCOPE,
      valid_until: '2027-12-31',
    });
    if (request?.status !== 201) return undefined;
    const accepted = await call('delegate', 'POST', `/v1/sandbox/delegation-requests/${request.body.id}/accept`, key);
    if (accepted?.status !== 200) return undefined;
    const minted = await call('mint', 'POST', `/v1/delegations/${accepted.body.delegation_id}/consent-tokens`, key, {
      lifetime_seconds: 3600,
    });
    return minted?.status === 201 ? { delegationId: accepted.body.delegation_id, token: minted.body.token } : undefined;
  }

  const delegations = (await Promise.all(Array.from({ length: 4 }, newDelegation))).filter((d) => d !== undefined);
  const acknowledged = new Set<string>();
  const filed: { id: string; token: string }[] = [];
  let replaysMismatched = 0;
  let idempotencySeq = 0;
  const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;
  const pdf = new Uint8Array(20 * 1024);
  pdf.set(PDF_BYTES);

  async function file(): Promise<void> {
    const d = pick(delegations);
    const consented = { ...key, 'puente-consent': d.token };
    const idempotencyKey = `soak-${process.pid}-${idempotencySeq++}`;
    // The filing, and its replay: the same request under the same Idempotency-Key.
    const send = () =>
      call(
        'file',
        'POST',
        '/v1/procedures',
        { ...consented, 'idempotency-key': idempotencyKey },
        { type: 'JUB', form: FORMS.JUB },
      );
    const created = await send();
    if (created?.status !== 201) return;
    acknowledged.add(created.body.id);
    if (Math.random() < 0.2) {
      const replay = await send();
      if (replay?.body?.id !== created.body.id || replay.headers.get('idempotent-replayed') !== 'true') {
        replaysMismatched++;
        unexpected.push(
          `replay of ${created.body.id}: ${replay?.status} ${JSON.stringify(replay?.body).slice(0, 200)} replayed=${replay?.headers.get('idempotent-replayed')}`,
        );
      }
    }
    for (const kind of ['DNI_NIE', 'IBAN_CERT']) {
      const form = new FormData();
      form.set('kind', kind);
      form.set('file', new Blob([pdf], { type: 'application/pdf' }), `${kind}.pdf`);
      await call('file', 'POST', `/v1/procedures/${created.body.id}/documents`, consented, form);
    }
    const submitted = await call('file', 'POST', `/v1/procedures/${created.body.id}/submit`, consented);
    if (submitted?.status === 200) {
      filed.push({ id: created.body.id, token: d.token });
      await call('advance', 'POST', `/v1/sandbox/procedures/${created.body.id}/advance`, key, { action: 'admit' });
    }
  }

  const operations: [number, () => Promise<unknown>][] = [
    [3, file],
    [
      8,
      async () => {
        if (!filed.length) return;
        const { id, token } = pick(filed);
        await call('read', 'GET', `/v1/procedures/${id}`, { ...key, 'puente-consent': token });
      },
    ],
    [
      3,
      async () => {
        const first = await call('list', 'GET', '/v1/procedures?limit=20', key);
        if (first?.body?.next_cursor)
          await call(
            'list',
            'GET',
            `/v1/procedures?limit=20&cursor=${encodeURIComponent(first.body.next_cursor)}`,
            key,
          );
      },
    ],
    [
      1,
      () =>
        call('mint', 'POST', `/v1/delegations/${pick(delegations).delegationId}/consent-tokens`, key, {
          lifetime_seconds: 600,
        }),
    ],
    [2, () => call('events', 'GET', '/v1/events?limit=50', key)],
    [
      1,
      async () => {
        const created = await newDelegation();
        if (created) delegations.push(created);
      },
    ],
    [
      1,
      () =>
        call(
          'invalid',
          'POST',
          '/v1/procedures',
          { ...key, 'puente-consent': pick(delegations).token },
          { type: 'JUB', form: { ...FORMS.JUB, applicant: { id_number: '12345678A' } } },
          [400],
        ),
    ],
    [
      1,
      () =>
        call(
          'invalid',
          'GET',
          `/v1/procedures/prc_${"'; drop table procedures; --"}`,
          { ...key, 'puente-consent': pick(delegations).token },
          undefined,
          [404],
        ),
    ],
  ];
  const totalWeight = operations.reduce((n, [w]) => n + w, 0);
  const chooseOperation = () => {
    let r = Math.random() * totalWeight;
    for (const [w, op] of operations) if ((r -= w) < 0) return op;
    return operations[0]![1];
  };

  const rss: { at: number; mb: number }[] = [];
  const started = performance.now();
  const sampler = setInterval(() => rss.push({ at: performance.now() - started, mb: rssOf(server.child.pid!) }), 500);
  const deadline = started + options.seconds * 1000;
  // Halfway through, one worker dies mid-delivery (SIGKILL) and a replacement starts.
  const killer = setTimeout(() => {
    workers[0]!.kill('SIGKILL');
    workers[0] = startWorker(env);
  }, options.seconds * 500);
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) await chooseOperation()();
    }),
  );
  const trafficSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  clearTimeout(killer);

  // Drain: every committed event of the organisation reaches the receiver, retries included.
  const sql = createSql(options.databaseUrl, { max: 1 });
  const orgId = registration.organization.id;
  const countEvents = async () =>
    (
      (await sql`select count(*)::int as n from events where organization_id = ${orgId}`) as unknown as [{ n: number }]
    )[0].n;
  const wh = new Webhook(hook.secret);
  const drainStart = performance.now();
  let eventsCommitted = await countEvents();
  // A delivery counts once the receiver accepted it: the first refused attempt of an id does not.
  const accepted = () => {
    const attempts = new Map<string, number>();
    for (const r of receiver.received) {
      const id = String(r.headers['webhook-id']);
      attempts.set(id, (attempts.get(id) ?? 0) + 1);
    }
    return [...attempts].filter(([id, n]) => !refusedFirst.has(id) || n >= 2).length;
  };
  while (accepted() < eventsCommitted && performance.now() - drainStart < (options.drainTimeoutMs ?? 60_000)) {
    await new Promise((r) => setTimeout(r, 200));
    eventsCommitted = await countEvents();
  }
  const drainMs = Math.round(performance.now() - drainStart);
  const eventsDelivered = accepted();
  let signatureFailures = 0;
  for (const r of receiver.received) {
    try {
      wh.verify(r.body, r.headers as Record<string, string>);
    } catch {
      signatureFailures++;
    }
  }

  const [stored] = (await sql`
    select count(*)::int as stored,
           count(*) filter (where not exists (select 1 from procedure_timeline t where t.procedure_id = p.id))::int as without_timeline
    from procedures p where p.organization_id = ${orgId}`) as unknown as [{ stored: number; without_timeline: number }];
  await sql.end();

  const workersAlive = workers.filter((w) => w.exitCode === null).length;
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => (w.exitCode === null ? new Promise((ok) => w.once('exit', ok)) : undefined)));
  await server.stop('SIGTERM');
  await receiver.close();

  const warm = rss.filter((s) => s.at >= options.seconds * 250);
  const third = Math.max(1, Math.floor(warm.length / 3));
  const peakOf = (samples: { mb: number }[]) => Math.round(Math.max(0, ...samples.map((s) => s.mb)));
  const byOperation: SoakReport['by_operation'] = {};
  for (const [op, values] of Object.entries(latencies)) {
    const sorted = values.sort((a, b) => a - b);
    byOperation[op] = { count: sorted.length, p50_ms: percentile(sorted, 0.5), p99_ms: percentile(sorted, 0.99) };
  }
  return {
    seconds: Math.round(trafficSeconds),
    clients,
    requests,
    requests_per_second: Math.round(requests / trafficSeconds),
    by_operation: byOperation,
    status_counts: statusCounts,
    server_errors: serverErrors,
    transport_errors: transportErrors,
    unexpected,
    procedures_acknowledged: acknowledged.size,
    procedures_stored: stored.stored,
    procedures_without_timeline: stored.without_timeline,
    idempotent_replays_mismatched: replaysMismatched,
    events_committed: eventsCommitted,
    events_delivered: eventsDelivered,
    deliveries_refused_first_time: refusedFirst.size,
    signature_failures: signatureFailures,
    drain_ms: drainMs,
    workers_alive: workersAlive,
    rss_mb: {
      after_warmup: Math.round(warm[0]?.mb ?? 0),
      peak: peakOf(rss),
      end: Math.round(rss.at(-1)?.mb ?? 0),
      first_third_peak: peakOf(warm.slice(0, third)),
      last_third_peak: peakOf(warm.slice(-third)),
    },
  };
}

/** The invariants a soak must hold; an empty list means it passed. */
export function soakViolations(report: SoakReport): string[] {
  const violations: string[] = [];
  if (report.server_errors.length)
    violations.push(
      `${report.server_errors.length} responses were 5xx: ${JSON.stringify(report.server_errors.slice(0, 3))}`,
    );
  if (report.transport_errors.length)
    violations.push(
      `${report.transport_errors.length} requests failed in transport: ${report.transport_errors.slice(0, 3).join('; ')}`,
    );
  if (report.unexpected.length)
    violations.push(`${report.unexpected.length} unexpected statuses: ${report.unexpected.slice(0, 3).join('; ')}`);
  if (report.procedures_stored !== report.procedures_acknowledged)
    violations.push(`${report.procedures_acknowledged} filings acknowledged but ${report.procedures_stored} stored`);
  if (report.procedures_without_timeline)
    violations.push(`${report.procedures_without_timeline} procedures have no timeline entry`);
  if (report.idempotent_replays_mismatched)
    violations.push(`${report.idempotent_replays_mismatched} idempotent retries did not replay the first response`);
  if (report.events_delivered !== report.events_committed)
    violations.push(`${report.events_committed} events committed but ${report.events_delivered} delivered`);
  if (report.signature_failures)
    violations.push(`${report.signature_failures} deliveries failed signature verification`);
  if (report.workers_alive !== 2)
    violations.push(`only ${report.workers_alive} of 2 delivery workers were alive at the end`);
  // Memory is stable when the last third of the run peaks no higher than the first third plus a margin for heap growth.
  const { first_third_peak, last_third_peak } = report.rss_mb;
  if (last_third_peak > first_third_peak * 1.2 + 32)
    violations.push(`server memory grew from ${first_third_peak} MB to ${last_third_peak} MB`);
  return violations;
}
