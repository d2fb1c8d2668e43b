import type { DeliveryRow, EndpointRow } from './queries';

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
    secret_rotation:
      row.previous_secret_expires_at && row.previous_secret_expires_at > now
        ? { previous_secret_valid_until: row.previous_secret_expires_at.toISOString() }
        : null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
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
