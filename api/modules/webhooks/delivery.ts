import { GroupCommit } from '../../db/group-commit';
import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import type { Deps } from '../../deps';
import { BoundedMap } from '../../lib/bounded-map';
import type { SecretBox } from '../../lib/crypto-box';
import { type HmacKey, type HmacSha256, webCryptoHmac } from '../../lib/hmac';
import {
  type AttemptRecord,
  claimDueDeliveries,
  type ClaimedDelivery,
  disableEndpoint,
  recordAttempts,
} from './queries';
import { importSigningKey, signingPreviousSecrets, signPayload } from './signing';
import { checkWebhookTarget } from './url-policy';

/** Seconds to wait after attempt n (1-based) fails: about three days in all. */
export const RETRY_SCHEDULE = [5, 300, 1800, 7200, 18_000, 36_000, 36_000, 50_400, 72_000, 50_400];
export const MAX_ATTEMPTS = RETRY_SCHEDULE.length + 1;
/**
 * Claims in a row that ended without an attempt recorded (the worker died holding the delivery)
 * before the delivery is given up unsent: what kills the worker is not sent again and again.
 */
export const MAX_INTERRUPTED_CLAIMS = 5;

export function retryDelaySeconds(
  attempt: number,
  retryAfterSeconds: number | undefined,
  random = Math.random,
): number {
  const base = RETRY_SCHEDULE[Math.min(attempt, RETRY_SCHEDULE.length) - 1]!;
  const jittered = base * (0.8 + 0.4 * random());
  return Math.min(86_400, Math.max(jittered, retryAfterSeconds ?? 0));
}

function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now.getTime()) / 1000);
}

/** The body every endpoint receives: thin, with ids and the new state (Standard Webhooks). */
export function webhookBody(
  d: Pick<ClaimedDelivery, 'event_id' | 'event_type' | 'event_data' | 'event_livemode' | 'event_created_at'>,
): string {
  return JSON.stringify({
    id: d.event_id,
    type: d.event_type,
    timestamp: new Date(d.event_created_at).toISOString(),
    livemode: d.event_livemode,
    data: d.event_data,
  });
}

/**
 * Endpoints' signing keys by sealed secret, opened and imported once per process rather than per
 * delivery. A rotation seals a new secret, so a new entry; past the bound, the least recently
 * used go.
 */
const signingKeysByImplementation = new WeakMap<HmacSha256, BoundedMap<string, Promise<HmacKey>>>();
const SIGNING_KEYS_KEPT = 1000;

function signingKey(box: SecretBox, sealed: string, hmac: HmacSha256): Promise<HmacKey> {
  let signingKeys = signingKeysByImplementation.get(hmac);
  if (!signingKeys) signingKeysByImplementation.set(hmac, (signingKeys = new BoundedMap(SIGNING_KEYS_KEPT)));
  let key = signingKeys.get(sealed);
  if (!key) {
    key = box.open(sealed).then((secret) => importSigningKey(secret, hmac));
    key.catch(() => signingKeys.delete(sealed));
    signingKeys.set(sealed, key);
  }
  return key;
}

export async function signatureHeader(
  d: ClaimedDelivery,
  box: SecretBox,
  body: string,
  timestamp: number,
  now: Date,
  hmac: HmacSha256 = webCryptoHmac,
): Promise<string> {
  const current = await signingKey(box, d.secret_encrypted, hmac);
  const signatures = [await signPayload(current, d.event_id, timestamp, body)];
  // After a rotation each old secret keeps signing until its end (24 h by default), so receivers
  // can switch at their pace, however many rotations that day.
  for (const previous of signingPreviousSecrets(d.previous_secrets, now)) {
    const key = await signingKey(box, previous.secret_encrypted, hmac);
    signatures.push(await signPayload(key, d.event_id, timestamp, body));
  }
  return signatures.join(' ');
}

type Outcome = { statusCode: number | null; error: string | null; retryAfter?: number };

/**
 * What the worker sends a delivery with: the global `fetch` by default; a runtime may pass its own
 * cheaper one (Node: api/node/webhook-fetch.ts). Only what a delivery uses of a request and answer.
 * `addresses`, when given, are the only ones the URL's host may be connected at (those the URL
 * policy checked; none: not at all); a sender that cannot choose (the global `fetch`) ignores them.
 */
export type WebhookFetch = (
  url: string,
  init: {
    method: 'POST';
    redirect: 'manual';
    signal: AbortSignal;
    headers: Record<string, string>;
    body: string;
    addresses?: readonly string[];
  },
) => Promise<{
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  body: { cancel(): Promise<void> } | null;
}>;

async function send(
  deps: Pick<Deps, 'config' | 'resolveHost'>,
  d: ClaimedDelivery,
  body: string,
  signature: string,
  timestamp: number,
  fetcher: WebhookFetch,
): Promise<Outcome> {
  let addresses: string[] | null;
  try {
    ({ addresses } = await checkWebhookTarget(d.url, deps.config, deps.resolveHost));
  } catch {
    return { statusCode: null, error: 'target address not allowed' };
  }
  try {
    const res = await fetcher(d.url, {
      method: 'POST',
      redirect: 'manual',
      ...(addresses ? { addresses } : {}),
      signal: AbortSignal.timeout(deps.config.webhooks.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Puente-Webhooks/1',
        'webhook-id': d.event_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature,
      },
      body,
    });
    await res.body?.cancel().catch(() => undefined);
    return {
      statusCode: res.status,
      error: res.ok ? null : `HTTP ${res.status}`,
      retryAfter: parseRetryAfter(res.headers.get('retry-after'), new Date()),
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    return { statusCode: null, error: name === 'TimeoutError' ? 'timed out' : 'connection failed' };
  }
}

type DeliveryDeps = Pick<Deps, 'config' | 'clock' | 'resolveHost' | 'logger' | 'secretBox'> &
  Partial<Pick<Deps, 'metrics' | 'hmacSha256'>>;

/**
 * The attempts of a worker's concurrent deliveries, committed together: each delivery's attempt
 * is recorded (and its lease released) once the commit carrying it is done, and one commit
 * carries the attempts that finished meanwhile.
 */
function attemptLog(sql: Sql): GroupCommit<AttemptRecord> {
  return new GroupCommit<AttemptRecord>({ sql, write: recordAttempts });
}

/**
 * Sends one claimed delivery once, records the attempt and schedules the next. `answered` is
 * called once the endpoint has answered (or could not be reached), before the attempt is
 * committed: the endpoint's slot is free from then on.
 */
async function deliverClaimed(
  sql: Sql,
  deps: DeliveryDeps,
  d: ClaimedDelivery,
  fetcher: WebhookFetch,
  attempts: GroupCommit<AttemptRecord>,
  answered: () => void = () => {},
): Promise<void> {
  const now = deps.clock.now();
  // Given up without sending: the endpoint is disabled, the event may no longer be sent to the
  // organisation (its consent ended, or it is suspended), or workers died holding it too often.
  const unsent = !d.enabled
    ? { error: 'endpoint disabled', outcome: 'failed' as const }
    : d.withheld
      ? { error: d.withheld, outcome: 'failed' as const }
      : d.claims - d.attempt >= MAX_INTERRUPTED_CLAIMS
        ? {
            error: `interrupted ${d.claims - d.attempt} times before an answer was recorded`,
            outcome: 'exhausted' as const,
          }
        : null;
  if (unsent) {
    answered();
    await attempts.add({
      deliveryId: d.id,
      at: now,
      statusCode: null,
      latencyMs: 0,
      nextAttemptAt: null,
      sent: false,
      ...unsent,
    });
    deps.metrics?.deliveryAttempt(unsent.outcome);
    return;
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = webhookBody(d);
  const signature = await signatureHeader(d, deps.secretBox, body, timestamp, now, deps.hmacSha256);
  const started = performance.now();
  const result = await send(deps, d, body, signature, timestamp, fetcher);
  const latencyMs = Math.round(performance.now() - started);
  answered();
  const at = deps.clock.now();
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  // What the answer means: done, gone for good (410 disables the endpoint), out of attempts, or again later.
  const gone = !ok && result.statusCode === 410;
  const outcome = ok ? 'succeeded' : gone ? 'failed' : d.attempt >= MAX_ATTEMPTS ? 'exhausted' : 'retry';
  const attempt = {
    deliveryId: d.id,
    at,
    statusCode: result.statusCode,
    latencyMs,
    error: ok ? null : gone ? 'endpoint answered 410 Gone' : result.error,
    outcome,
    nextAttemptAt:
      outcome === 'retry' ? new Date(at.getTime() + retryDelaySeconds(d.attempt, result.retryAfter) * 1000) : null,
    sent: true,
  } as const;
  if (gone) {
    await transaction(sql, async (tx) => {
      await recordAttempts(tx, [attempt]);
      await disableEndpoint(tx, d.endpoint_id, 'The endpoint answered 410 Gone.', at);
    });
  } else {
    await attempts.add(attempt);
  }
  deps.metrics?.deliveryAttempt(outcome);
  deps.logger.log(ok ? 'info' : 'warn', 'webhook delivery', {
    delivery_id: d.id,
    event_type: d.event_type,
    attempt: d.attempt,
    status: result.statusCode,
    latency_ms: latencyMs,
  });
}

function perEndpointLimit(deps: DeliveryDeps): number {
  return deps.config.webhooks.perEndpointConcurrency ?? 16;
}

/**
 * One pass of a delivery worker: claim due deliveries (at most the per-endpoint limit for each
 * endpoint), send them all at once, and wait for them. Safe to run in any number of processes at
 * once. Workers without a long-running loop (a Cron Trigger) call this in bounded passes.
 */
export async function deliverDue(
  sql: Sql,
  deps: DeliveryDeps,
  options: { batch?: number; fetch?: WebhookFetch } = {},
): Promise<number> {
  const claimed = await claimDueDeliveries(
    sql,
    deps.clock.now(),
    deps.config.webhooks.leaseSeconds,
    options.batch ?? 20,
    { perEndpoint: perEndpointLimit(deps) },
  );
  const attempts = attemptLog(sql);
  await Promise.all(claimed.map((d) => deliverClaimed(sql, deps, d, options.fetch ?? fetch, attempts)));
  await attempts.close();
  return claimed.length;
}

/**
 * A continuous delivery worker's sending side: up to `concurrency` deliveries in flight, at most
 * `perEndpoint` of them to any one endpoint, and a free slot is filled without waiting for the
 * others (a slow endpoint holds up only its own deliveries). `fill` claims work for the free
 * slots; `onSettled` hears of every slot that a finished delivery frees, so the loop can claim again.
 */
export class DeliveryPipeline {
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  /** Claimed beyond an endpoint's free slots (fewer than `claimAhead` each, plus one claim): sent as its slots free up. */
  private readonly queued = new Map<string, ClaimedDelivery[]>();
  private readonly concurrency: number;
  private readonly perEndpoint: number;
  private readonly attempts: GroupCommit<AttemptRecord>;
  onSettled: () => void = () => {};

  constructor(
    private readonly sql: Sql,
    private readonly deps: DeliveryDeps,
    private readonly options: { fetch?: WebhookFetch } = {},
  ) {
    this.concurrency = deps.config.webhooks.concurrency ?? 64;
    this.perEndpoint = perEndpointLimit(deps);
    this.attempts = attemptLog(sql);
  }

  /** Deliveries sent or waiting in this process. */
  get size(): number {
    let queued = 0;
    for (const list of this.queued.values()) queued += list.length;
    return this.running.size + queued;
  }

  /** Claims due deliveries for the free slots and starts them; answers how many it claimed. */
  async fill(): Promise<number> {
    const free = this.concurrency - this.size;
    if (free <= 0) return 0;
    const busy = [...this.inFlight.keys()].filter((id) => this.held(id) >= this.claimAhead);
    const claimed = await claimDueDeliveries(
      this.sql,
      this.deps.clock.now(),
      this.deps.config.webhooks.leaseSeconds,
      free,
      { perEndpoint: this.perEndpoint, busy },
    );
    for (const d of claimed) this.start(d);
    return claimed.length;
  }

  /**
   * Deliveries held for one endpoint at most before another claim for it: its slots, and half as
   * many again waiting, so its queue is refilled while it still has work and its slots stay busy.
   * The last one waits for two rounds of the endpoint's slots at most, so it is sent before its
   * lease ends even if every request times out (the configuration requires lease > 3 × timeout).
   */
  private get claimAhead(): number {
    return this.perEndpoint + Math.ceil(this.perEndpoint / 2);
  }

  /** Deliveries of an endpoint sent or waiting in this process. */
  private held(endpointId: string): number {
    return (this.inFlight.get(endpointId) ?? 0) + (this.queued.get(endpointId)?.length ?? 0);
  }

  /** Resolves when every delivery started so far has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private start(d: ClaimedDelivery): void {
    const n = this.inFlight.get(d.endpoint_id) ?? 0;
    if (n >= this.perEndpoint) {
      const list = this.queued.get(d.endpoint_id) ?? [];
      list.push(d);
      this.queued.set(d.endpoint_id, list);
      return;
    }
    this.inFlight.set(d.endpoint_id, n + 1);
    // The endpoint's slot is freed when it has answered; the attempt's commit does not hold it.
    let freed = false;
    const free = () => {
      if (freed) return;
      freed = true;
      const left = (this.inFlight.get(d.endpoint_id) ?? 1) - 1;
      if (left > 0) this.inFlight.set(d.endpoint_id, left);
      else this.inFlight.delete(d.endpoint_id);
      const next = this.queued.get(d.endpoint_id)?.shift();
      if (this.queued.get(d.endpoint_id)?.length === 0) this.queued.delete(d.endpoint_id);
      if (next) this.start(next);
      // Claim again when the slot found nothing waiting, or when the endpoint's queue has just run low.
      if (!next || this.held(d.endpoint_id) === this.claimAhead - 1) this.onSettled();
    };
    const run: Promise<void> = deliverClaimed(this.sql, this.deps, d, this.options.fetch ?? fetch, this.attempts, free)
      .catch((error: unknown) => {
        // The lease runs out and another pass retries it.
        this.deps.logger.log('error', 'webhook delivery failed', {
          delivery_id: d.id,
          message: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        this.running.delete(run);
        free();
        // Deliveries still committing count against the worker's concurrency: when that was what
        // stopped the claims, this one ending frees a slot for them.
        if (this.size === this.concurrency - 1) this.onSettled();
      });
    this.running.add(run);
  }
}
