// The processes under test, in one process so floors and app share the same conditions:
// (a) bare Hono JSON, (b) Hono + one `select 1` through postgres.js, (c) Hono + one committed
// insert, (d) Hono + one insert whose commit is shared with concurrent requests, and the Puente app.
import type { AddressInfo } from 'node:net';

import { serve } from '@hono/node-server';
import { Hono } from 'hono';

import { createApp } from '../api/app';
import { configFromEnv } from '../api/config';
import { GroupCommit } from '../api/db/group-commit';
import { jsonLogger } from '../api/http/logger';
import { startBackgroundWork } from '../api/node/background';
import { boundHeapGrowth } from '../api/node/heap';
import { migrate, nodeDeps, openDatabase } from '../api/node/runtime';

// The heap as `npm start` runs it.
boundHeapGrowth();
const config = configFromEnv({ ...process.env, LOG_LEVEL: 'error', PUENTE_RATE_LIMIT: '100000000' });
const logger = jsonLogger('error');
const database = await openDatabase(config);
await migrate(database, logger);

const bare = new Hono().get('/', (c) => c.json({ ok: true }));
const withDb = new Hono().get('/', async (c) => {
  await database.sql`select 1`;
  return c.json({ ok: true });
});
// (c) the same plus one committed insert: the limit of any endpoint that writes an audit row.
await database.sql`create table if not exists bench_floor_writes (id text primary key, at timestamptz not null)`;
const withWrite = new Hono().get('/', async (c) => {
  await database.sql`insert into bench_floor_writes (id, at) values (${crypto.randomUUID()}, now())`;
  return c.json({ ok: true });
});
// (d) the same row through a group commit: each response still waits for the commit carrying its
// row, but one commit carries the rows of many requests. The limit of any endpoint that must
// durably write one audit row.
const grouped = new GroupCommit<{ id: string; at: Date }>({
  sql: database.sql,
  write: (tx, rows) => tx`insert into bench_floor_writes ${tx(rows as never, 'id', 'at')}`,
});
const withGroupedWrite = new Hono().get('/', async (c) => {
  await grouped.add({ id: crypto.randomUUID(), at: new Date() });
  return c.json({ ok: true });
});
const deps = nodeDeps(config, database, logger);
const app = createApp(deps);
// One in-process delivery worker, as `npm start` runs.
startBackgroundWork(database.sql, deps, { scheduler: false, listen: database.kind === 'postgres' });

function listen(fetch: (r: Request) => Response | Promise<Response>): Promise<number> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
    void server;
  });
}

const ports = {
  bare: await listen(bare.fetch),
  db: await listen(withDb.fetch),
  write: await listen(withWrite.fetch),
  grouped: await listen(withGroupedWrite.fetch),
  app: await listen(app.fetch),
};
process.stdout.write(`${JSON.stringify({ ready: true, ports, pid: process.pid })}\n`);
process.on('SIGTERM', async () => {
  await database.close();
  process.exit(0);
});
