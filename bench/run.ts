// npm run bench [-- --embedded] : every figure is measured against floors taken in the same run.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

import autocannon from 'autocannon';

import { createSql } from '../api/db/client';
import { transaction } from '../api/db/sql';
import { encodeCursor } from '../api/http/pagination';
import { emit } from '../api/modules/events/emit';
import { bundle } from '../scripts/build.mjs';
import { FORMS, PDF_BYTES } from '../test/support/forms';
import { Body, httpClient } from './client';
import { freshDatabase, machine } from './support';

const embedded = process.argv.includes('--embedded');
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const sizes = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
// BENCH_ONLY=read,sustained,mint,lists,filing,webhooks runs a subset (the floors always run).
const only = process.env.BENCH_ONLY?.split(',');
const wants = (scenario: string) => !only || only.includes(scenario);
const adminToken = 'bench-admin-token-0123456789abcdef';
const dbUrl = embedded ? undefined : await freshDatabase(process.env.BENCH_DATABASE ?? 'puente_bench');
const dataDir = embedded ? `/tmp/puente-bench-${Date.now()}` : undefined;
// BENCH_NODE_FLAGS='--perf-basic-prof' passes flags to the server's node (e.g. to read `perf record -p` of it).
const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
// BENCH_PROFILE=1 writes a CPU profile of the server to bench/results/profiles/ (open it in Chrome DevTools).
const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profiles'] : [];
// The server runs compiled, as `npm start` runs it (not through tsx, whose transpiler would add to its memory),
// with the environment `npm start` sets (the C allocator's settings).
await bundle({ 'bench-server': 'bench/server.ts' }, 'dist/bench');
const startScript: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start;
const startEnv = Object.fromEntries(
  [...startScript.matchAll(/\b([A-Z][A-Z0-9_]*)=(\S+) exec /g)].map((m) => [m[1], m[2]]),
);
const child = spawn(
  process.execPath,
  [...nodeFlags, ...profile, '--enable-source-maps', 'dist/bench/bench-server.js'],
  {
    env: {
      ...process.env,
      ...startEnv,
      PUENTE_WEBHOOKS_ALLOW_PRIVATE: '1',
      DATABASE_URL: dbUrl ?? '',
      PUENTE_DATA_DIR: dataDir,
      PUENTE_ADMIN_TOKEN: adminToken,
      PUENTE_ENV: 'development',
      DATABASE_POOL_SIZE: '10',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const ready = await new Promise<{
  ports: { bare: number; db: number; write: number; grouped: number; app: number };
  pid: number;
}>((resolve, reject) => {
  let buffer = '';
  child.stdout!.on('data', (d) => {
    buffer += d;
    const line = buffer.split('\n').find((l) => l.includes('"ready"'));
    if (line) resolve(JSON.parse(line));
  });
  child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
});
const api = `http://127.0.0.1:${ready.ports.app}`;

/** utime + stime of a process, in ms (100 ticks per second). */
function cpuMs(pid: string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Every local PostgreSQL process's CPU as last seen (sampled every 200 ms as well as at each
 * snapshot), so that a backend or autovacuum worker that exits during a scenario counts what it
 * used until then, and nothing it used before the scenario. (The postmaster's reaped-children
 * total put the whole life of an autovacuum worker that had run through the lists into the
 * filing that saw it exit: once 120 ms of PostgreSQL CPU per filing.)
 */
const postgresSeen = new Map<string, number>();
let postgresRetired = 0;
function samplePostgres(): number {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      const ms = cpuMs(pid);
      const last = postgresSeen.get(pid);
      // A lower figure under a known pid is a new process that reused it.
      if (last !== undefined && ms < last) postgresRetired += last;
      postgresSeen.set(pid, ms);
    } catch {
      /* process gone */
    }
  }
  let total = postgresRetired;
  for (const ms of postgresSeen.values()) total += ms;
  return total;
}

let peakRss = 0;
/** The server's peak RSS since the current scenario started: which scenario sets the peak. */
let scenarioRss = 0;
const rssTimer = setInterval(() => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${ready.pid}/status`, 'utf8'))?.[1] ?? 0);
    peakRss = Math.max(peakRss, kb * 1024);
    scenarioRss = Math.max(scenarioRss, kb * 1024);
  } catch {
    /* process gone */
  }
  samplePostgres();
}, 200);

const call = httpClient(api);

// Fixtures through the API: an organisation, a delegation, a long-lived consent token, one procedure.
const registration = await call(
  'POST',
  '/v1/organizations',
  {},
  {
    legal_name: 'Gestoría Banco de Pruebas S.L.',
    nif: 'B00000000',
    kind: 'gestoria',
    professional_standing: { colegio: 'Colegio de Gestores de Madrid', registration_number: '9999', practising: true },
    contact_email: 'bench@puente.test',
    owner: { name: 'Banco Pruebas', id_number: '12345678Z' },
  },
).catch(async () => undefined);
const key: string = registration?.test_key.secret;
const orgId: string = registration?.organization.id;
const auth = { authorization: `Bearer ${key}` };
const request = await call('POST', '/v1/delegation-requests', auth, {
  citizen: { id_number: '11111111H', name: 'Carmen López' },
  scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] },
  valid_until: '2027-12-31',
});
const accepted = await call('POST', `/v1/sandbox/delegation-requests/${request.id}/accept`, auth);
const delegationId: string = accepted.delegation_id;
const token: string = (
  await call('POST', `/v1/delegations/${delegationId}/consent-tokens`, auth, { lifetime_seconds: 3600 })
).token;
const consented = { ...auth, 'puente-consent': token };
const procedure = await call('POST', '/v1/procedures', consented, { type: 'JUB', form: FORMS.JUB });

const createBody = Body.json({ type: 'JUB', form: FORMS.JUB });
const uploads = new WeakMap<Uint8Array, Map<string, Body>>();
/** The upload of `bytes` as the document `kind`, encoded once (the harness must not cost the machine more than autocannon). */
function uploadBody(kind: string, bytes: Uint8Array): Body {
  let byKind = uploads.get(bytes);
  if (!byKind) uploads.set(bytes, (byKind = new Map()));
  let body = byKind.get(kind);
  if (!body) {
    body = Body.multipart({ kind }, { field: 'file', name: `${kind}.pdf`, type: 'application/pdf', bytes });
    byKind.set(kind, body);
  }
  return body;
}

/**
 * Creates, uploads the documents of and submits a JUB: a complete filing through the API, each
 * write with its own Idempotency-Key as the SDK sends them.
 */
async function fileJub(pdf: Uint8Array<ArrayBuffer> = PDF_BYTES): Promise<{ id: string }> {
  const write = () => ({ ...consented, 'idempotency-key': randomUUID() });
  const p = await call('POST', '/v1/procedures', write(), createBody);
  await call('POST', `/v1/procedures/${p.id}/documents`, write(), uploadBody('DNI_NIE', pdf));
  await call('POST', `/v1/procedures/${p.id}/documents`, write(), uploadBody('IBAN_CERT', PDF_BYTES));
  return call('POST', `/v1/procedures/${p.id}/submit`, write());
}
// A filed procedure: its read computes the legal deadlines (90 días hábiles) on every request.
const filed = await fileJub();

// CPU time (ms) of the server process and of every local PostgreSQL process, from /proc: where a request's cost goes.
function cpuSnapshot(): { server: number; postgres: number } {
  return { server: cpuMs(String(ready.pid)), postgres: samplePostgres() };
}

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  cpu_us?: { server: number; postgres: number };
  /** Peak server RSS during the scenario, in MB. */
  rss_mb?: number;
}
const results: Result[] = [];

/** Starts a scenario's RSS window; returns its peak so far, in MB. */
function rssWindow(): () => number {
  scenarioRss = 0;
  return () => Math.round(scenarioRss / 1024 / 1024);
}

/** The answers that were not 2xx, by status ("503: 12, 429: 3"): what a failed scenario ran into. */
function statusesOf(r: autocannon.Result): string {
  const stats = (r as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return Object.entries(stats)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${status}: ${count}`)
    .join(', ');
}

async function load(name: string, url: string, options: Partial<autocannon.Options> = {}): Promise<Result> {
  const rss = rssWindow();
  const before = cpuSnapshot();
  const r = await autocannon({ url, connections, duration, ...options });
  const after = cpuSnapshot();
  const perRequest = (ms: number) => Math.round((ms * 1000) / Math.max(1, r.requests.total));
  const cpu_us = {
    server: perRequest(after.server - before.server),
    postgres: perRequest(after.postgres - before.postgres),
  };
  const result = {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    cpu_us,
    rss_mb: rss(),
  };
  results.push(result);
  console.error(
    `${name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, CPU per request: server ${cpu_us.server} µs, postgres ${cpu_us.postgres} µs${result.non2xx ? `, ${result.non2xx} non-2xx (${statusesOf(r)})` : ''}`,
  );
  return result;
}

const floorBare = await load('floor (a): bare Hono JSON', `http://127.0.0.1:${ready.ports.bare}/`);
const floorDb = await load('floor (b): Hono + select 1', `http://127.0.0.1:${ready.ports.db}/`);
await load('floor (c): Hono + one committed insert', `http://127.0.0.1:${ready.ports.write}/`);
await load('floor (d): Hono + one group-committed insert', `http://127.0.0.1:${ready.ports.grouped}/`);
if (wants('read'))
  await load('consented read GET /v1/procedures/{id}', `${api}/v1/procedures/${procedure.id}`, { headers: consented });
if (wants('read'))
  await load('consented read of a filed procedure (deadlines computed)', `${api}/v1/procedures/${filed.id}`, {
    headers: consented,
  });
// The same read three times back to back: a server that serves for a day must not slow down.
if (wants('read') || wants('sustained')) {
  const runs: Result[] = [];
  for (let run = 1; run <= 3; run++)
    runs.push(
      await load(`consented read, sustained (run ${run} of 3)`, `${api}/v1/procedures/${procedure.id}`, {
        headers: consented,
      }),
    );
  console.error(`sustained: run 3 is ${(runs[2]!.rps / runs[0]!.rps).toFixed(2)} × run 1`);
}
if (wants('mint')) {
  await load('mint consent token', `${api}/v1/delegations/${delegationId}/consent-tokens`, {
    method: 'POST',
    headers: auth,
  });
  // The SDK sends every write with its own Idempotency-Key: the response is kept for retries.
  await load(
    'mint consent token, with an Idempotency-Key (as the SDK sends)',
    `${api}/v1/delegations/${delegationId}/consent-tokens`,
    {
      method: 'POST',
      headers: auth,
      requests: [
        {
          setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }),
        },
      ],
    },
  );
}

// Lists: seed organisations with N procedures each, with SQL (not through the API).
if (!embedded && wants('lists')) {
  const sql = createSql(dbUrl!, { max: 1 });
  for (const size of sizes) {
    const seededOrg = `org_bench${size}`;
    const keyRow = await call('POST', '/v1/api-keys', auth, { name: `bench ${size}` });
    await sql`update api_keys set organization_id = ${orgId} where id = ${keyRow.id}`;
    const [{ citizen_id }] =
      (await sql`select d.citizen_id, m.id as member_id from delegations d join members m on m.organization_id = d.organization_id where d.id = ${delegationId} limit 1`) as unknown as [
        { citizen_id: string },
      ];
    await sql.begin(async (tx) => {
      await tx`insert into organizations (id, legal_name, nif, kind, colegio, registration_number, practising, contact_email, status, created_at, updated_at)
        select ${seededOrg}, 'Bench ' || ${size}, 'X' || ${size}, 'gestoria', 'Colegio', '1', true, 'b@puente.test', 'verified', now(), now()`;
      await tx`insert into members (id, organization_id, name, id_number, role, created_at) values (${'mem_bench' + size}, ${seededOrg}, 'Bench', '00000000T', 'owner', now())`;
      await tx`insert into delegation_requests (id, organization_id, livemode, citizen_id, scope, scope_key, scope_version, valid_until, code, status, created_at, created_by_member_id, expires_at)
        values (${'dlr_bench' + size}, ${seededOrg}, false, ${citizen_id}, ${tx.json({ procedure_types: ['JUB'], subjects: [], capacities: ['consult'] } as never)}, ${'bench' + size}, 1, '2027-12-31', ${'B' + size}, 'accepted', now(), ${'mem_bench' + size}, now())`;
      await tx`insert into delegations (id, organization_id, livemode, citizen_id, request_id, scope, scope_version, procedure_types, capacities, valid_from, valid_until, created_at)
        values (${'dlg_bench' + size}, ${seededOrg}, false, ${citizen_id}, ${'dlr_bench' + size}, ${tx.json({ procedure_types: ['JUB'], subjects: [], capacities: ['consult'] } as never)}, 1, '{JUB}', '{consult}', '2026-01-01', '2027-12-31', now())`;
      await tx`insert into procedures (id, organization_id, livemode, citizen_id, delegation_id, type, status, form, created_by_member_id, created_at, updated_at)
        select 'prc_bench' || ${size} || 'n' || g, ${seededOrg}, false, ${citizen_id}, ${'dlg_bench' + size}, 'JUB', 'draft', '{}'::jsonb, ${'mem_bench' + size},
               now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
        from generate_series(1, ${size}) g`;
      await tx`update api_keys set organization_id = ${seededOrg}, member_id = ${'mem_bench' + size} where id = ${keyRow.id}`;
    });
    // Vacuumed as well as analysed: otherwise autovacuum takes on the new rows while later scenarios run.
    await sql`vacuum (analyze) procedures`;
    const listAuth = { authorization: `Bearer ${keyRow.secret}` };
    const [deep] =
      await sql`select updated_at, id from procedures where organization_id = ${seededOrg} and livemode = false order by updated_at desc, id desc offset ${size - 100} limit 1`;
    const cursor = encodeCursor('procedures', [new Date(deep!.updated_at).toISOString(), deep!.id]);
    await load(`list first page, ${size} procedures`, `${api}/v1/procedures?limit=20`, { headers: listAuth });
    await load(
      `list page at depth ${size - 100}, ${size} procedures`,
      `${api}/v1/procedures?limit=20&cursor=${cursor}`,
      { headers: listAuth },
    );
  }
  await sql.end();
}

if (wants('filing')) {
  // Filing: create, upload a 100 kB PDF, submit; complete filings per second with 10 in flight.
  const pdf = new Uint8Array(100 * 1024);
  pdf.set(PDF_BYTES);
  // Warmed up first, unmeasured, as a server that has been serving is: the other scenarios run
  // code the filing does not (multipart bodies, documents, submission, deadlines), and both this
  // process and the server compile it during their first seconds of filing. Measured from cold,
  // four back-to-back 10-second runs filed 62, 73, 78 and 83 per second. The warm-up's own rate
  // is reported as a row of its own.
  const warmupSeconds = Number(process.env.BENCH_FILING_WARMUP ?? 2 * duration);
  let warmed = 0;
  const warmupStart = performance.now();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (performance.now() - warmupStart < warmupSeconds * 1000) {
        await fileJub(pdf);
        warmed++;
      }
    }),
  );
  const warmupRate = warmed / ((performance.now() - warmupStart) / 1000);
  console.error(`filing warm-up: ${warmed} filings in ${warmupSeconds} s, ${warmupRate.toFixed(0)} per second`);
  results.push({
    name: `filing, warm-up (first ${warmupSeconds} s, not measured)`,
    rps: warmupRate,
    p50: 0,
    p99: 0,
    errors: 0,
    non2xx: 0,
  });
  let filings = 0;
  const rss = rssWindow();
  const filingCpu = cpuSnapshot();
  const clientCpu = process.cpuUsage();
  const filingStart = performance.now();
  const filingLatencies: number[] = [];
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (performance.now() - filingStart < duration * 1000) {
        const t0 = performance.now();
        await fileJub(pdf);
        filingLatencies.push(performance.now() - t0);
        filings++;
      }
    }),
  );
  const filingSeconds = (performance.now() - filingStart) / 1000;
  const filingCpuAfter = cpuSnapshot();
  // The load generator shares the machine: its CPU shows how much of the two cores the filing had.
  const clientUs = process.cpuUsage(clientCpu);
  console.error(
    `filing: ${filings} filings; bench client CPU ${Math.round((clientUs.user + clientUs.system) / Math.max(1, filings))} µs per filing`,
  );
  filingLatencies.sort((a, b) => a - b);
  results.push({
    name: 'filing: create + 100 kB upload + submit (10 in flight)',
    rps: filings / filingSeconds,
    p50: Math.round(filingLatencies[Math.floor(filingLatencies.length * 0.5)]!),
    p99: Math.round(filingLatencies[Math.floor(filingLatencies.length * 0.99)]!),
    errors: 0,
    non2xx: 0,
    // Per complete filing (four requests).
    cpu_us: {
      server: Math.round(((filingCpuAfter.server - filingCpu.server) * 1000) / Math.max(1, filings)),
      postgres: Math.round(((filingCpuAfter.postgres - filingCpu.postgres) * 1000) / Math.max(1, filings)),
    },
    rss_mb: rss(),
  });

  // The same writes one step at a time (10 in flight): where a filing's CPU goes.
  const drafts: string[] = [];
  const step = async (name: string, work: (i: number) => Promise<unknown>, until: (i: number) => boolean) => {
    const stepRss = rssWindow();
    const before = cpuSnapshot();
    const started = performance.now();
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = next++; until(i); i = next++) {
          const t0 = performance.now();
          await work(i);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const after = cpuSnapshot();
    const perRequest = (ms: number) => Math.round((ms * 1000) / Math.max(1, latencies.length));
    latencies.sort((a, b) => a - b);
    const result = {
      name: `filing step: ${name} (10 in flight)`,
      rps: latencies.length / ((performance.now() - started) / 1000),
      p50: Math.round(latencies[Math.floor(latencies.length * 0.5)] ?? 0),
      p99: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
      errors: 0,
      non2xx: 0,
      cpu_us: {
        server: perRequest(after.server - before.server),
        postgres: perRequest(after.postgres - before.postgres),
      },
      rss_mb: stepRss(),
    };
    results.push(result);
    console.error(
      `${result.name}: ${result.rps.toFixed(0)} req/s, CPU per request: server ${result.cpu_us.server} µs, postgres ${result.cpu_us.postgres} µs`,
    );
  };
  const keyed = () => ({ ...consented, 'idempotency-key': randomUUID() });
  const uploadTo = (id: string, kind: string, bytes: Uint8Array<ArrayBuffer>) =>
    call('POST', `/v1/procedures/${id}/documents`, keyed(), uploadBody(kind, bytes));
  const stepStart = performance.now();
  await step(
    'create',
    async () => drafts.push((await call('POST', '/v1/procedures', keyed(), createBody)).id),
    () => performance.now() - stepStart < (duration * 1000) / 2,
  );
  const each = (i: number) => i < drafts.length;
  await step('upload 100 kB', (i) => uploadTo(drafts[i]!, 'DNI_NIE', pdf), each);
  await step('upload 45 B', (i) => uploadTo(drafts[i]!, 'IBAN_CERT', PDF_BYTES), each);
  await step('submit', (i) => call('POST', `/v1/procedures/${drafts[i]!}/submit`, keyed()), each);
}
if (wants('webhooks')) {
  // Webhooks: deliveries per second to a local receiver, and commit-to-delivery latency.
  const { createServer } = await import('node:http');
  const arrivals: number[] = [];
  /** When each delivery arrived (wall clock), for latencies measured from a known commit. */
  const received: number[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(Date.now());
      arrivals.push(Date.now() - Date.parse(JSON.parse(body).timestamp));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  const receiverPort = (receiver.address() as { port: number }).port;
  const hook = await call('POST', '/v1/webhook-endpoints', auth, { url: `http://127.0.0.1:${receiverPort}/hooks` });
  const webhookCount = Number(process.env.BENCH_WEBHOOKS ?? 1000);
  let rss = rssWindow();
  const webhookStart = performance.now();
  for (let i = 0; i < webhookCount; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, webhookCount - i) }, () =>
        call('POST', `/v1/webhook-endpoints/${hook.id}/test`, auth),
      ),
    );
  }
  while (arrivals.length < webhookCount && performance.now() - webhookStart < 120_000)
    await new Promise((r) => setTimeout(r, 50));
  const webhookSeconds = (performance.now() - webhookStart) / 1000;
  arrivals.sort((a, b) => a - b);
  const p95 = arrivals[Math.floor(arrivals.length * 0.95)] ?? -1;
  results.push({
    name: `webhooks: ${arrivals.length}/${webhookCount} delivered (latency = commit to receipt)`,
    rps: arrivals.length / webhookSeconds,
    p50: arrivals[Math.floor(arrivals.length * 0.5)] ?? -1,
    p99: arrivals[Math.floor(arrivals.length * 0.99)] ?? -1,
    errors: webhookCount - arrivals.length,
    non2xx: 0,
    rss_mb: rss(),
  });
  console.error(
    `webhooks: ${(arrivals.length / webhookSeconds).toFixed(0)} deliveries/s, p95 commit-to-delivery ${p95} ms`,
  );
  // The same number of events committed at once (one transaction, as a busy instance's outbox fills), then drained:
  // deliveries per second from the commit to the last receipt, without the API calls that queued them.
  await new Promise((r) => setTimeout(r, 1000));
  arrivals.length = 0;
  received.length = 0;
  rss = rssWindow();
  if (!embedded) {
    const outbox = createSql(dbUrl!, { max: 1 });
    await transaction(outbox, async (tx) => {
      for (let i = 0; i < webhookCount; i++)
        await emit(tx, {
          organizationId: orgId,
          livemode: false,
          type: 'procedure.status_changed',
          data: { procedure_id: procedure.id, type: 'JUB', status: 'draft' },
          at: new Date(),
        });
    });
    const committed = performance.now();
    const committedAt = Date.now();
    while (arrivals.length < webhookCount && performance.now() - committed < 120_000)
      await new Promise((r) => setTimeout(r, 10));
    const drainSeconds = (performance.now() - committed) / 1000;
    // From the commit, not from each event's created_at (set while the transaction was still being built).
    const sinceCommit = received.map((t) => t - committedAt).sort((a, b) => a - b);
    results.push({
      name: `webhooks, queued: ${arrivals.length}/${webhookCount} committed at once, drained (latency = commit to receipt)`,
      rps: arrivals.length / drainSeconds,
      p50: sinceCommit[Math.floor(sinceCommit.length * 0.5)] ?? -1,
      p99: sinceCommit[Math.floor(sinceCommit.length * 0.99)] ?? -1,
      errors: webhookCount - arrivals.length,
      non2xx: 0,
      rss_mb: rss(),
    });
    console.error(`webhooks, queued: drained at ${(arrivals.length / drainSeconds).toFixed(0)} deliveries/s`);
    await outbox.end();
  }
  // One event at a time on an otherwise idle system: how long the worker takes to notice a commit.
  await new Promise((r) => setTimeout(r, 2000));
  const idleCount = Number(process.env.BENCH_IDLE_WEBHOOKS ?? 40);
  arrivals.length = 0;
  for (let i = 0; i < idleCount; i++) {
    const seen = arrivals.length;
    await call('POST', `/v1/webhook-endpoints/${hook.id}/test`, auth);
    const deadline = performance.now() + 5000;
    while (arrivals.length === seen && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
  }
  const idle = [...arrivals].sort((a, b) => a - b);
  const at = (q: number) => idle[Math.min(idle.length - 1, Math.floor(idle.length * q))] ?? -1;
  results.push({
    name: `webhooks, idle: ${idle.length}/${idleCount} single events (latency = commit to receipt; p99 column = p95)`,
    rps: 0,
    p50: at(0.5),
    p99: at(0.95),
    errors: idleCount - idle.length,
    non2xx: 0,
  });
  console.error(`webhooks, idle: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms commit-to-receipt`);
  receiver.close();
}
clearInterval(rssTimer);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));

const table = results.map((r) => ({
  scenario: r.name,
  'req/s': Math.round(r.rps),
  'p50 ms': r.p50,
  'p99 ms': r.p99,
  'ratio to (b)': (r.rps / floorDb.rps).toFixed(2),
  'server µs/req': r.cpu_us?.server ?? '',
  'postgres µs/req': r.cpu_us?.postgres ?? '',
  'peak RSS MB': r.rss_mb ?? '',
  errors: r.errors + r.non2xx,
}));
console.table(table);
console.log(`peak server RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB; floor (a) ${Math.round(floorBare.rps)} req/s`);
const machineUsed = { ...machine(), database: embedded ? 'embedded (PGlite)' : 'PostgreSQL 127.0.0.1:5432' };
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(
  file,
  JSON.stringify(
    { machine: machineUsed, connections, duration_s: duration, peak_rss_bytes: peakRss, results: table },
    null,
    2,
  ),
);
console.log(`wrote ${file}`);
// A scenario whose requests failed measured something else (a refusal is cheaper than the work):
// its figures are written above, and the run fails.
const failed = results.filter((r) => r.errors + r.non2xx > 0);
for (const r of failed) console.error(`FAILED: ${r.name}: ${r.errors} errors, ${r.non2xx} answers that were not 2xx`);
process.exit(failed.length > 0 ? 1 : 0);
