import { WebhookVerificationError } from './errors';
import type { WebhookEvent } from './types';

export type { WebhookEvent };

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function equalInConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/**
 * Verifies a Standard Webhooks delivery and returns its event: `webhook-signature` must hold a
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` made with the endpoint's `whsec_` secret, and
 * `webhook-timestamp` must be within `toleranceSeconds` of now (replays). Pass the body exactly as
 * received, before any JSON parsing. Throws WebhookVerificationError otherwise.
 */
export async function unwrap<Event extends WebhookEvent = WebhookEvent>(
  rawBody: string,
  headers: WebhookHeaders,
  secret: string,
  { toleranceSeconds = 300 }: { toleranceSeconds?: number } = {},
): Promise<Event> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures)
    throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) {
    throw new WebhookVerificationError('The webhook-timestamp is outside the tolerance window');
  }

  let keyBytes: Uint8Array<ArrayBuffer>;
  try {
    keyBytes = fromBase64(secret.replace(/^whsec_/, ''));
  } catch {
    throw new WebhookVerificationError('The secret is not a whsec_<base64> value');
  }
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const expected = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${rawBody}`)),
  );

  // Several signatures appear while a secret rotates; any one may match.
  const valid = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) return false;
    try {
      return equalInConstantTime(fromBase64(value), expected);
    } catch {
      return false;
    }
  });
  if (!valid) throw new WebhookVerificationError('No webhook-signature matches');

  try {
    return JSON.parse(rawBody) as Event;
  } catch {
    throw new WebhookVerificationError('The body is not JSON');
  }
}
