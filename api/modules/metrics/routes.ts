import type { App } from '../../http/context';
import { ProblemError } from '../../http/problem';
import { constantTimeEqual } from '../../lib/secrets';
import { sampleMetrics } from './queries';

/**
 * `GET /metrics` in the Prometheus text format, for the operator's scraper: only when
 * PUENTE_METRICS_TOKEN is set (404 otherwise) and the runtime collects metrics, behind that
 * token as a bearer credential. Not part of the public API document.
 */
export function registerMetrics(app: App): void {
  app.get('/metrics', async (c) => {
    const { config, metrics, clock } = c.get('deps');
    if (!config.metricsToken || !metrics.render) throw new ProblemError('not_found', 'No such route.');
    const token = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token || !(await constantTimeEqual(token, config.metricsToken))) {
      throw new ProblemError('unauthorized', 'Send the metrics token as `Authorization: Bearer …`.', {
        headers: { 'www-authenticate': 'Bearer realm="puente-metrics"' },
      });
    }
    const { contentType, body } = await metrics.render(() => sampleMetrics(c.get('sql'), clock.now()));
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
}
