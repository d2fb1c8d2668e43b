import type { Config } from '../../config';
import { fieldProblem } from '../../http/problem';
import { isIpLiteral, isPrivateAddress } from '../../lib/net';

/**
 * Webhook targets must be public: no loopback, private, link-local (cloud metadata) or reserved
 * addresses, written literally or behind a DNS name. Checked when the URL is saved and again
 * before each delivery (DNS can change).
 */
export async function checkWebhookUrl(
  raw: string,
  config: Config,
  resolveHost: (host: string) => Promise<string[]>,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fieldProblem('/url', 'Must be an absolute URL.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !config.webhooks.requireHttps)) {
    throw fieldProblem('/url', config.webhooks.requireHttps ? 'Must use https.' : 'Must use http or https.');
  }
  if (url.username || url.password) throw fieldProblem('/url', 'Must not carry credentials.');
  if (config.webhooks.allowPrivateTargets) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal')) {
    throw fieldProblem('/url', 'Must point to a public internet address.');
  }
  const addresses = isIpLiteral(host) ? [host] : await resolveHost(host);
  if (addresses.some(isPrivateAddress))
    throw fieldProblem(
      '/url',
      'Must point to a public internet address (it resolves to a private, loopback or link-local one).',
    );
  return url;
}
