import {
  type CompletedDelegationRequestBatch,
  createBatch,
  type CreateBatchOptions,
  type DelegationRequestBatchRow,
} from './batches';
import { APIError, DelegationInactiveError } from './errors';
import { ifMatchHeader } from './etag';
import { operationMethods, OPERATIONS, type Resources } from './generated/operations';
import { type PageData, PagePromise } from './pagination';
import { type ClientOptions, type RequestOptions, Transport } from './transport';
import type { OperationId, OperationSpec } from './types';
import { unwrap } from './webhooks';

export { operationMethods };

interface ConsentSource {
  token(): Promise<string>;
  forget(): void;
}

// The resource namespaces (`puente.members.create(…)`) are built in the constructor from the
// generated table; their types come from the generated `Resources`.
export interface Puente extends Resources {
  delegationRequests: Resources['delegationRequests'] & {
    /**
     * Onboards many clients at once: sends a CSV file (columns as in the bulk-onboarding guide,
     * `,` or `;` separated) or an array of rows, waits until every row is processed, calling
     * `onProgress` with `{ total, done, failed, duplicates }` as it goes, and returns each row's
     * outcome: the request created, the pending request it duplicates, or the problem.
     */
    createBatch(
      fileOrRows: Blob | readonly DelegationRequestBatchRow[],
      options?: CreateBatchOptions,
    ): Promise<CompletedDelegationRequestBatch>;
  };
}

export class Puente {
  readonly webhooks = { unwrap };
  readonly #options: ClientOptions;
  readonly #transport: Transport;
  #consent: ConsentSource | undefined;

  constructor(options: ClientOptions = {}) {
    this.#options = options;
    this.#transport = new Transport(options);
    for (const [operation, name] of Object.entries(operationMethods)) {
      const keys = name.split('.');
      let node = this as unknown as Record<string, Record<string, unknown>>;
      for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, Record<string, unknown>>;
      node[keys.at(-1)!] = ((...args: unknown[]) => this.#invoke(operation as OperationId, args)) as never;
    }
    this.delegationRequests.createBatch = (fileOrRows, options) => createBatch(this.#transport, fileOrRows, options);
  }

  /**
   * A client for one citizen's affairs under the delegation they granted: it mints consent tokens
   * from the delegation, renews them before they expire, and sends `Puente-Consent` on every
   * operation that needs one. Once the delegation is no longer active, those calls throw
   * DelegationInactiveError.
   */
  forClient(delegationId: string, { lifetimeSeconds = 600, renewBeforeSeconds = 60 } = {}): Puente {
    let current: Promise<{ token: string; expiresAt: number }> | undefined;
    const forget = () => (current = undefined);
    const scoped = new Puente(this.#options);
    scoped.#consent = {
      forget,
      token: async () => {
        const valid = current && (await current.catch(() => undefined));
        if (!valid || valid.expiresAt - renewBeforeSeconds * 1000 <= Date.now()) {
          current = this.delegations
            .createConsentToken(delegationId, { lifetime_seconds: lifetimeSeconds })
            .then((minted) => ({ token: minted.token, expiresAt: Date.parse(minted.expires_at) }));
          current.catch(forget);
        }
        return (await current!).token;
      },
    };
    return scoped;
  }

  #invoke(operation: OperationId, args: unknown[]): Promise<unknown> | PagePromise<PageData> {
    const spec: OperationSpec = OPERATIONS[operation];
    let i = 0;
    const path = spec.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = args[i++];
      if (typeof value !== 'string' || value === '')
        throw new TypeError(`${operationMethods[operation]}: \`${name}\` must be a non-empty string`);
      return encodeURIComponent(value);
    });
    const body = spec.body ? args[i++] : undefined;
    const query = spec.query ? (args[i++] as Record<string, unknown> | undefined) : undefined;
    const options = args[i] as RequestOptions | undefined;
    const call = { method: spec.method, path, body, contentTypes: spec.body, binary: spec.binary };
    if (!spec.paginated) return this.#send({ ...call, query }, options, spec.consent);
    return new PagePromise((cursor) =>
      this.#send<PageData>({ ...call, query: cursor ? { ...query, cursor } : query }, options, spec.consent),
    );
  }

  async #send<T>(
    call: Parameters<Transport['request']>[0],
    options: RequestOptions = {},
    needsConsent?: boolean,
  ): Promise<T> {
    if (!needsConsent || !this.#consent) return this.#transport.request<T>(call, options);
    // An `ifMatch` that holds no ETag throws before the consent token is minted, so nothing is sent.
    if ('ifMatch' in options) options = { ...options, ifMatch: ifMatchHeader(options.ifMatch) };
    const token = await this.#consent.token();
    try {
      return await this.#transport.request<T>(call, {
        ...options,
        headers: { ...options.headers, 'puente-consent': token },
      });
    } catch (error) {
      // A token the API refuses is no use: mint a fresh one next time.
      if (error instanceof DelegationInactiveError || (error instanceof APIError && error.code.startsWith('consent_')))
        this.#consent.forget();
      throw error;
    }
  }
}
