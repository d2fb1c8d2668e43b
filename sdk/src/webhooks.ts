import { WebhookVerificationError } from './errors';

/** Every event type Puente sends. */
export type EventType =
  | 'delegation_request.accepted' | 'delegation_request.rejected' | 'delegation_request.expired' | 'delegation_request.cancelled'
  | 'delegation.revoked' | 'delegation.renounced' | 'delegation.expired' | 'delegation.suspended'
  | 'procedure.submitted' | 'procedure.status_changed' | 'procedure.requirement_issued' | 'procedure.requirement_deadline_approaching'
  | 'procedure.resolved' | 'procedure.presumed_denied' | 'webhook_endpoint.test';

export type WebhookEvent = {
  [K in EventType]: { id: string; type: K; timestamp: string; livemode: boolean; data: Record<string, unknown> };
}[EventType];

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function header(headers: Headers | Record<string, string | string[] | undefined>, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies a Standard Webhooks delivery (HMAC-SHA256 over "id.timestamp.body" with the
 * endpoint's `whsec_` secret, timestamp within the tolerance) and returns the typed event.
 * Pass the raw body exactly as received.
 */
export async function unwrap(
  rawBody: string,
  headers: Headers | Record<string, string | string[] | undefined>,
  secret: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): Promise<WebhookEvent> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header');
  const seconds = Number(timestamp);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (!Number.isInteger(seconds) || Math.abs(now - seconds) > tolerance) throw new WebhookVerificationError('Timestamp outside the tolerance window');
  const key = await crypto.subtle.importKey('raw', base64ToBytes(secret.replace(/^whsec_/, '')), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${rawBody}`);
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',');
    if (version !== 'v1' || !value) continue;
    let mac: Uint8Array<ArrayBuffer>;
    try {
      mac = base64ToBytes(value);
    } catch {
      continue;
    }
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify('HMAC', key, mac, signed)) return JSON.parse(rawBody) as WebhookEvent;
  }
  throw new WebhookVerificationError('No signature matches');
}
