import type { Sql } from './db/sql';
import type { Deps } from './deps';
import { deliverAvisos } from './modules/avisos/delivery';
import type { Channel } from './modules/avisos/messages';
import { CalendarStore } from './modules/calendar/store';
import { processDelegationRequestBatches } from './modules/delegation-request-batches/service';
import { runScheduler } from './modules/events/scheduler';
import { deliverDue, type WebhookFetch } from './modules/webhooks/delivery';

export type BackgroundDeps = Pick<Deps, 'config' | 'clock' | 'resolveHost' | 'logger' | 'secretBox'> &
  Partial<Pick<Deps, 'calendar' | 'metrics' | 'mailer'>>;

/**
 * One kind of background work: `run` does one bounded batch and answers how much it did (0 when
 * there was nothing to do). The Node loops (api/node/background.ts) run each task again and again;
 * the Worker's Cron Trigger (api/worker.ts) runs each once per invocation. Both claim work with the
 * same leases (SKIP LOCKED claims, deduplicated events), so they can run side by side.
 */
export interface BackgroundTask {
  name: 'deliveries' | 'delegation-request-batches' | 'scheduler' | 'avisos';
  /** How long a loop waits before the next batch when this one found nothing to do. */
  idleMs: number;
  run(limit?: number): Promise<number>;
}

/** The scheduler's facts move by the minute at most: a pass every 30 s is plenty. */
export const SCHEDULER_EVERY_MS = 30_000;

export function backgroundTasks(
  sql: Sql,
  deps: BackgroundDeps,
  options: {
    /** Replaces the bounded delivery batch (the Node loop keeps a pipeline of deliveries in flight). */
    deliveries?: () => Promise<number>;
    fetch?: WebhookFetch;
    scheduler?: boolean;
    /** The aviso channels this runtime can send (all when unset; the Worker has no SMTP). */
    avisoChannels?: readonly Channel[];
  } = {},
): BackgroundTask[] {
  const calendar = deps.calendar ?? new CalendarStore();
  const tasks: BackgroundTask[] = [
    {
      name: 'deliveries',
      idleMs: 250,
      run: options.deliveries ?? ((limit = 20) => deliverDue(sql, deps, { batch: limit, fetch: options.fetch })),
    },
    {
      name: 'delegation-request-batches',
      idleMs: 250,
      run: (limit = 500) => processDelegationRequestBatches(sql, deps, limit),
    },
    {
      name: 'avisos',
      idleMs: 250,
      run: (limit = 20) => deliverAvisos(sql, deps, { limit, channels: options.avisoChannels }),
    },
  ];
  if (options.scheduler !== false) {
    tasks.push({
      name: 'scheduler',
      idleMs: SCHEDULER_EVERY_MS,
      async run() {
        const report = await runScheduler(sql, deps.clock.now(), calendar);
        const total = Object.values(report).reduce((a, b) => a + b, 0);
        if (total > 0) deps.logger.log('info', 'scheduler', { ...report });
        return total;
      },
    });
  }
  return tasks;
}
