import { CalendarStore } from '../modules/calendar/store';
import type { Deps } from '../deps';
import type { Sql } from '../db/sql';
import { deliverDue } from '../modules/webhooks/delivery';
import { runScheduler } from '../modules/events/scheduler';

export interface BackgroundWork {
  stop(): Promise<void>;
}

const IDLE_POLL_MS = 250;
const SCHEDULER_EVERY_MS = 30_000;

/**
 * The webhook delivery worker and the scheduler as loops in this process. Several processes may
 * run them against one database: claims use SKIP LOCKED and scheduled events are deduplicated.
 */
export function startBackgroundWork(sql: Sql, deps: Pick<Deps, 'config' | 'clock' | 'resolveHost' | 'logger'> & Partial<Pick<Deps, 'calendar'>>, options: { scheduler?: boolean } = {}): BackgroundWork {
  let stopped = false;
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  const deliveries = (async () => {
    while (!stopped) {
      try {
        const done = await deliverDue(sql, deps);
        if (done === 0) await sleep(IDLE_POLL_MS);
      } catch (error) {
        deps.logger.log('error', 'delivery worker failed', { message: error instanceof Error ? error.message : String(error) });
        await sleep(1000);
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
        deps.logger.log('error', 'scheduler failed', { message: error instanceof Error ? error.message : String(error) });
      }
      await sleep(SCHEDULER_EVERY_MS);
    }
  })();

  return {
    async stop() {
      stopped = true;
      for (const wake of [...wakers]) wake();
      await Promise.race([Promise.all([deliveries, scheduler]), new Promise((r) => setTimeout(r, 3000))]);
    },
  };
}
