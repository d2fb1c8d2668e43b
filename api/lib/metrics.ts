/**
 * What the core reports for operators. The Node entry point collects it with prom-client
 * (api/node/metrics.ts); elsewhere it is a no-op. Labels carry route patterns, methods, statuses,
 * outcomes and channels only: never a concrete path, an id or anything personal.
 */
export interface Metrics {
  /** A finished HTTP request, under its route pattern (`/v1/procedures/:id`), never its path. */
  request(route: string, method: string, status: number, seconds: number): void;
  /** One webhook delivery attempt, by the outcome recorded for it. */
  deliveryAttempt(outcome: DeliveryOutcome): void;
  /** A pass of the scheduler finished; `lagSeconds` is how late it ran against its interval. */
  schedulerRun(lagSeconds: number): void;
  /** One aviso (notice to a citizen) sent or failed, by channel (`email`, `sms`). */
  aviso(channel: string, outcome: 'sent' | 'failed'): void;
  /** The text of `GET /metrics`; absent when this runtime collects nothing. */
  render?(sample: MetricsSampler): Promise<{ contentType: string; body: string }>;
}

/** `succeeded`; `retry` (failed, tried again later); `exhausted` (failed, no attempts left); `failed` (endpoint gone or disabled). */
export type DeliveryOutcome = 'succeeded' | 'retry' | 'exhausted' | 'failed';

/** Values read at scrape time (from the database), so every instance reports the same backlog. */
export interface MetricsSample {
  outboxBacklog: number;
  oldestUndeliveredSeconds: number;
  connectionsInUse: number;
  connectionsWaiting: number;
}

export type MetricsSampler = () => Promise<MetricsSample>;

export const noMetrics: Metrics = {
  request() {},
  deliveryAttempt() {},
  schedulerRun() {},
  aviso() {},
};
