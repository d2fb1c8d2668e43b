import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { Metrics, MetricsSampler } from '../lib/metrics';

/**
 * The core's metrics through prom-client, in a registry of this process (README "Metrics" lists
 * every family). Labels are route patterns, methods, statuses, outcomes and channels only.
 */
export function nodeMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'puente_' });
  const counter = <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const gauge = <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });

  const requests = counter(
    'puente_http_requests_total',
    'HTTP requests answered, by route pattern (never the concrete path), method and status.',
    ['route', 'method', 'status'],
  );
  const latency = new Histogram({
    name: 'puente_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method.',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const attempts = counter(
    'puente_webhook_delivery_attempts_total',
    'Webhook delivery attempts by this process, by outcome (succeeded, retry, exhausted, failed).',
    ['outcome'],
  );
  const failures = counter(
    'puente_webhook_delivery_failures_total',
    'Webhook delivery attempts that did not succeed, by outcome (retry, exhausted, failed).',
    ['outcome'],
  );
  const schedulerLag = gauge(
    'puente_scheduler_lag_seconds',
    "How late the scheduler's last pass started against its interval.",
  );
  const schedulerRuns = counter('puente_scheduler_runs_total', 'Scheduler passes started by this process.');
  const avisosSent = counter('puente_avisos_sent_total', 'Avisos (notices to citizens) sent, by channel.', ['channel']);
  const avisosFailed = counter('puente_avisos_failed_total', 'Avisos that could not be sent, by channel.', ['channel']);
  const backlog = gauge(
    'puente_outbox_backlog',
    'Webhook deliveries waiting to be delivered (all processes: read from the database).',
  );
  const oldest = gauge(
    'puente_outbox_oldest_undelivered_seconds',
    'Age of the oldest event with an undelivered webhook delivery; 0 when there is none.',
  );
  const connections = gauge(
    'puente_db_connections',
    "Database connections of Puente's processes: in_use (running a statement or in a transaction), waiting (for a lock).",
    ['state'],
  );

  return {
    request(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method }, seconds);
    },
    deliveryAttempt(outcome) {
      attempts.inc({ outcome });
      if (outcome !== 'succeeded') failures.inc({ outcome });
    },
    schedulerRun(lagSeconds) {
      schedulerRuns.inc();
      schedulerLag.set(lagSeconds);
    },
    aviso(channel, outcome) {
      (outcome === 'sent' ? avisosSent : avisosFailed).inc({ channel });
    },
    async render(sample: MetricsSampler) {
      const now = await sample();
      backlog.set(now.outboxBacklog);
      oldest.set(now.oldestUndeliveredSeconds);
      connections.set({ state: 'in_use' }, now.connectionsInUse);
      connections.set({ state: 'waiting' }, now.connectionsWaiting);
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
