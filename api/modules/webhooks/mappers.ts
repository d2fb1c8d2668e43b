import type { DeliveryRow, EndpointRow } from './queries';
import { signingPreviousSecrets } from './signing';

export function toWebhookEndpoint(row: EndpointRow, now: Date) {
  return {
    id: row.id,
    object: 'webhook_endpoint' as const,
    livemode: row.livemode,
    url: row.url,
    description: row.description,
    event_types: row.event_types,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    disabled_at: row.disabled_at?.toISOString() ?? null,
    secret_rotation: secretRotationOf(row, now),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** The secrets rotated out that still sign (newest first), and when the last of them stops; null when none does. */
function secretRotationOf(row: EndpointRow, now: Date) {
  const signing = signingPreviousSecrets(row.previous_secrets, now).map((p) => new Date(p.expires_at).toISOString());
  if (signing.length === 0) return null;
  return {
    previous_secret_valid_until: signing.reduce((last, at) => (at > last ? at : last)),
    previous_secrets: signing.map((validUntil) => ({ valid_until: validUntil })),
  };
}

export function toDelivery(
  row: DeliveryRow,
  attempts: Array<{ attempted_at: Date; status_code: number | null; latency_ms: number; error: string | null }>,
) {
  return {
    id: row.id,
    object: 'webhook_delivery' as const,
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status as 'pending' | 'succeeded' | 'failed' | 'exhausted',
    attempts: attempts.map((a) => ({
      attempted_at: a.attempted_at.toISOString(),
      status_code: a.status_code,
      latency_ms: a.latency_ms,
      error: a.error,
    })),
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    delivered_at: row.delivered_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
  };
}
