import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { Metrics, MetricsSampler } from '../lib/metrics';

/**
 * The core's metrics through prom-client, in a registry of this process (README "Metrics" lists
 * every family). Labels are route patterns, methods, statuses, outcomes and channels only.
 */
export function nodeMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'puente_' });

  const requests = new Counter({
    name: 'puente_http_requests_total',
    help: 'HTTP requests answered, by route pattern (never the concrete path), method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'puente_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method.',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'puente_webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts by this process, by outcome (succeeded, retry, exhausted, failed).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'puente_webhook_delivery_failures_total',
    help: 'Webhook delivery attempts that did not succeed, by outcome (retry, exhausted, failed).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const schedulerLag = new Gauge({
    name: 'puente_scheduler_lag_seconds',
    help: "How late the scheduler's last pass started against its interval.",
    registers: [registry],
  });
  const schedulerRuns = new Counter({
    name: 'puente_scheduler_runs_total',
    help: 'Scheduler passes started by this process.',
    registers: [registry],
  });
  const avisosSent = new Counter({
    name: 'puente_avisos_sent_total',
    help: 'Avisos (notices to citizens) sent, by channel.',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const avisosFailed = new Counter({
    name: 'puente_avisos_failed_total',
    help: 'Avisos that could not be sent, by channel.',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const backlog = new Gauge({
    name: 'puente_outbox_backlog',
    help: 'Webhook deliveries waiting to be delivered (all processes: read from the database).',
    registers: [registry],
  });
  const oldest = new Gauge({
    name: 'puente_outbox_oldest_undelivered_seconds',
    help: 'Age of the oldest event with an undelivered webhook delivery; 0 when there is none.',
    registers: [registry],
  });
  const connections = new Gauge({
    name: 'puente_db_connections',
    help: "Database connections of Puente's processes: in_use (running a statement or in a transaction), waiting (for a lock).",
    labelNames: ['state'] as const,
    registers: [registry],
  });

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
