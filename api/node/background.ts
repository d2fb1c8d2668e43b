import { type BackgroundDeps, backgroundTasks } from '../background-tasks';
import type { Sql } from '../db/sql';
import { errorFields } from '../http/logger';
import { DELIVERIES_CHANNEL } from '../modules/events/queries';
import { DeliveryPipeline, type WebhookFetch } from '../modules/webhooks/delivery';
import { nodeWebhookFetch } from './webhook-fetch';

export interface BackgroundWork {
  stop(): Promise<void>;
}

/** How often an idle delivery worker that listens for commits polls: only to catch retries coming due and missed notifications. */
const LISTENING_POLL_MS = 1_000;

/** A sleep that a wake cuts short; a wake while awake makes the next sleep return at once. */
function alarm() {
  let pending = false;
  let ring: (() => void) | undefined;
  return {
    wake() {
      if (ring) ring();
      else pending = true;
    },
    sleep(ms: number): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => ring?.(), ms);
        ring = () => {
          clearTimeout(timer);
          ring = undefined;
          resolve();
        };
      });
    },
  };
}

/**
 * The background tasks (api/background-tasks.ts) as loops in this process: each runs a batch again at
 * once while it finds work, and sleeps for its idle interval when it finds none. Several processes
 * (and the Worker's Cron Trigger) may run them against one database: claims use SKIP LOCKED and
 * scheduled events are deduplicated. Deliveries keep a pipeline in flight rather than a batch at a
 * time. With `listen` (PostgreSQL only: the embedded database has a single connection, and
 * Hyperdrive none that lasts) an idle delivery worker wakes when a transaction that queued
 * deliveries commits; it polls in any case.
 */
export function startBackgroundWork(
  sql: Sql,
  deps: BackgroundDeps,
  options: { scheduler?: boolean; listen?: boolean; fetch?: WebhookFetch } = {},
): BackgroundWork {
  let stopped = false;
  const pipeline = new DeliveryPipeline(sql, deps, { fetch: options.fetch ?? nodeWebhookFetch });
  const tasks = backgroundTasks(sql, deps, { deliveries: () => pipeline.fill(), scheduler: options.scheduler });
  const alarms = new Map(tasks.map((task) => [task.name, alarm()]));
  pipeline.onSettled = () => alarms.get('deliveries')?.wake();
  let listening: Promise<{ unlisten(): Promise<void> } | undefined> = Promise.resolve(undefined);
  if (options.listen) {
    listening = sql
      .listen(DELIVERIES_CHANNEL, () => alarms.get('deliveries')?.wake())
      .catch((error: unknown) => {
        deps.logger.log('warn', 'delivery worker cannot listen; polling only', errorFields(error));
        return undefined;
      });
  }

  const loops = tasks.map(async (task) => {
    const sleeper = alarms.get(task.name)!;
    const idleMs = task.name === 'deliveries' && options.listen ? LISTENING_POLL_MS : task.idleMs;
    if (task.name === 'deliveries') await listening;
    // The scheduler runs on an interval whether or not it found work; its lag is how late each pass starts.
    let due = Date.now();
    while (!stopped) {
      try {
        if (task.name === 'scheduler') {
          deps.metrics?.schedulerRun(Math.max(0, (Date.now() - due) / 1000));
          await task.run();
          due = Date.now() + idleMs;
          await sleeper.sleep(idleMs);
        } else if ((await task.run()) === 0) await sleeper.sleep(idleMs);
      } catch (error) {
        deps.logger.log('error', `${task.name} failed`, errorFields(error));
        due = Date.now() + 1000;
        await sleeper.sleep(1000);
      }
    }
    if (task.name === 'deliveries') await pipeline.settled();
  });

  return {
    async stop() {
      stopped = true;
      for (const a of alarms.values()) a.wake();
      await (await listening)?.unlisten().catch(() => undefined);
      await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 3000))]);
    },
  };
}
