import type { Sql } from '../db/sql';
import type { Deps } from '../deps';
import { deliverAvisos } from '../modules/avisos/delivery';
import { CalendarStore } from '../modules/calendar/store';
import { processDelegationRequestBatches } from '../modules/delegation-request-batches/service';
import { DELIVERIES_CHANNEL } from '../modules/events/queries';
import { runScheduler } from '../modules/events/scheduler';
import { DeliveryPipeline } from '../modules/webhooks/delivery';

export interface BackgroundWork {
  stop(): Promise<void>;
}

/** How often an idle delivery worker looks for due deliveries when nothing wakes it. */
const IDLE_POLL_MS = 250;
/** The same when it listens for commits: polling only catches retries coming due and missed notifications. */
const LISTENING_POLL_MS = 1_000;
const SCHEDULER_EVERY_MS = 30_000;

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
 * The webhook delivery worker, the batch worker, the aviso worker and the scheduler as loops in this process. Several processes may
 * run them against one database: claims use SKIP LOCKED and scheduled events are deduplicated.
 * With `listen` (PostgreSQL only: the embedded database has a single connection, and Hyperdrive
 * none that lasts) an idle delivery worker wakes when a transaction that queued deliveries
 * commits; it polls in any case.
 */
export function startBackgroundWork(
  sql: Sql,
  deps: Pick<Deps, 'config' | 'clock' | 'resolveHost' | 'logger'> & Partial<Pick<Deps, 'calendar' | 'mailer'>>,
  options: { scheduler?: boolean; listen?: boolean; fetch?: typeof fetch } = {},
): BackgroundWork {
  let stopped = false;
  const deliveryAlarm = alarm();
  const batchAlarm = alarm();
  const schedulerAlarm = alarm();
  const avisoAlarm = alarm();
  const pipeline = new DeliveryPipeline(sql, deps, { fetch: options.fetch });
  pipeline.onSettled = () => deliveryAlarm.wake();
  let listening: Promise<{ unlisten(): Promise<void> } | undefined> = Promise.resolve(undefined);
  if (options.listen) {
    listening = sql
      .listen(DELIVERIES_CHANNEL, () => deliveryAlarm.wake())
      .catch((error: unknown) => {
        deps.logger.log('warn', 'delivery worker cannot listen; polling only', {
          message: error instanceof Error ? error.message : String(error),
        });
        return undefined;
      });
  }
  const pollMs = options.listen ? LISTENING_POLL_MS : IDLE_POLL_MS;

  const deliveries = (async () => {
    await listening;
    while (!stopped) {
      try {
        if ((await pipeline.fill()) === 0) await deliveryAlarm.sleep(pollMs);
      } catch (error) {
        deps.logger.log('error', 'delivery worker failed', {
          message: error instanceof Error ? error.message : String(error),
        });
        await deliveryAlarm.sleep(1000);
      }
    }
    await pipeline.settled();
  })();

  const batches = (async () => {
    while (!stopped) {
      try {
        const done = await processDelegationRequestBatches(sql, deps);
        if (done === 0) await batchAlarm.sleep(IDLE_POLL_MS);
      } catch (error) {
        deps.logger.log('error', 'batch worker failed', {
          message: error instanceof Error ? error.message : String(error),
        });
        await batchAlarm.sleep(1000);
      }
    }
  })();

  const avisos = (async () => {
    while (!stopped) {
      try {
        if ((await deliverAvisos(sql, deps, { limit: 20 })) === 0) await avisoAlarm.sleep(IDLE_POLL_MS);
      } catch (error) {
        deps.logger.log('error', 'aviso worker failed', {
          message: error instanceof Error ? error.message : String(error),
        });
        await avisoAlarm.sleep(1000);
      }
    }
  })();

  const scheduler = (async () => {
    if (options.scheduler === false) return;
    const calendar = deps.calendar ?? new CalendarStore();
    while (!stopped) {
      try {
        const report = await runScheduler(sql, deps.clock.now(), calendar);
        if (Object.values(report).some((n) => n > 0)) deps.logger.log('info', 'scheduler', { ...report });
      } catch (error) {
        deps.logger.log('error', 'scheduler failed', {
          message: error instanceof Error ? error.message : String(error),
        });
      }
      await schedulerAlarm.sleep(SCHEDULER_EVERY_MS);
    }
  })();

  return {
    async stop() {
      stopped = true;
      deliveryAlarm.wake();
      batchAlarm.wake();
      schedulerAlarm.wake();
      avisoAlarm.wake();
      await (await listening)?.unlisten().catch(() => undefined);
      await Promise.race([
        Promise.all([deliveries, batches, avisos, scheduler]),
        new Promise((r) => setTimeout(r, 3000)),
      ]);
    },
  };
}
