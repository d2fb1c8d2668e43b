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
  return (await checkWebhookTarget(raw, config, resolveHost)).url;
}

/**
 * `checkWebhookUrl`, with the addresses it found the host at: the only ones a delivery may
 * connect to, so that a name answering otherwise when the connection looks it up again (DNS
 * rebinding) is not reached. Null when any address is allowed (`allowPrivateTargets`).
 */
export async function checkWebhookTarget(
  raw: string,
  config: Config,
  resolveHost: (host: string) => Promise<string[]>,
): Promise<{ url: URL; addresses: string[] | null }> {
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
  if (config.webhooks.allowPrivateTargets) return { url, addresses: null };
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
  return { url, addresses };
}
