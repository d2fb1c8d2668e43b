import type { components, operations } from './generated/openapi';
import { OPERATIONS, type OperationId } from './generated/operations';
import { PagePromise, type PageData } from './pagination';
import { DelegationInactiveError } from './errors';
import { Transport, type ClientOptions, type RequestOptions } from './transport';
import { unwrap } from './webhooks';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : R extends { content: { 'application/schema+json': infer J } } ? J : never;
/** The success body of an operation. */
export type Result<O extends OperationId> = operations[O]['responses'] extends infer R
  ? 200 extends keyof R ? Json<R[200]> : 201 extends keyof R ? Json<R[201]> : 202 extends keyof R ? Json<R[202]> : never
  : never;
export type Body<O extends OperationId> = operations[O] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
export type Query<O extends OperationId> = operations[O] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type Item<O extends OperationId> = Result<O> extends PageData<infer T> ? T : never;

export type Schemas = components['schemas'];
export type Procedure = Schemas['Procedure'];
export type Delegation = Schemas['Delegation'];
export type DelegationRequest = Schemas['DelegationRequest'];
export type Event = Schemas['Event'];

/** A file to upload: anything `Blob` accepts, a Blob, or a Node stream / async iterable of bytes. */
export type Uploadable = Blob | Uint8Array | ArrayBuffer | AsyncIterable<Uint8Array>;

async function toBlob(file: Uploadable, type: string): Promise<Blob> {
  if (file instanceof Blob) return file;
  if (file instanceof Uint8Array || file instanceof ArrayBuffer) return new Blob([file as BlobPart], { type });
  const chunks: Uint8Array[] = [];
  for await (const chunk of file) chunks.push(chunk);
  return new Blob(chunks as BlobPart[], { type });
}

const enc = encodeURIComponent;

export class Puente {
  readonly transport: Transport;

  constructor(options: ClientOptions = {}) {
    this.transport = new Transport(options);
  }

  /** Calls any operation by its operationId; the resource methods below are the usual way. */
  call<O extends OperationId>(
    operation: O,
    args: { path?: Record<string, string>; query?: Record<string, unknown>; body?: unknown } = {},
    options?: RequestOptions,
  ): Promise<Result<O>> {
    const { method, path } = OPERATIONS[operation];
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => enc(args.path?.[name] ?? ''));
    return this.transport.request<Result<O>>({ method, path: url, query: args.query, body: args.body }, options);
  }

  private list<O extends OperationId>(operation: O, path: Record<string, string>, query: Record<string, unknown> | undefined, options?: RequestOptions): PagePromise<Item<O>> {
    return new PagePromise<Item<O>>(
      (cursor) => this.call(operation, { path, query: { ...query, ...(cursor ? { cursor } : {}) } }, options) as Promise<PageData<Item<O>>>,
    );
  }

  readonly health = { retrieve: (o?: RequestOptions) => this.call('getHealth', {}, o) };

  readonly procedureTypes = {
    list: (o?: RequestOptions) => this.call('listProcedureTypes', {}, o),
    retrieve: (code: string, o?: RequestOptions) => this.call('retrieveProcedureType', { path: { code } }, o),
    form: (code: string, o?: RequestOptions) => this.call('retrieveProcedureTypeForm', { path: { code } }, o),
  };

  readonly calendar = {
    computeDeadline: (query: Query<'computeDeadline'>, o?: RequestOptions) => this.call('computeDeadline', { query }, o),
  };

  readonly organization = {
    register: (body: Body<'registerOrganization'>, o?: RequestOptions) => this.call('registerOrganization', { body }, o),
    retrieve: (o?: RequestOptions) => this.call('retrieveOrganization', {}, o),
  };

  readonly members = {
    create: (body: Body<'createMember'>, o?: RequestOptions) => this.call('createMember', { body }, o),
    list: (query?: Query<'listMembers'>, o?: RequestOptions) => this.list('listMembers', {}, query, o),
    retrieve: (id: string, o?: RequestOptions) => this.call('retrieveMember', { path: { id } }, o),
    del: (id: string, o?: RequestOptions) => this.call('deleteMember', { path: { id } }, o),
  };

  readonly apiKeys = {
    create: (body: Body<'createApiKey'>, o?: RequestOptions) => this.call('createApiKey', { body }, o),
    list: (query?: Query<'listApiKeys'>, o?: RequestOptions) => this.list('listApiKeys', {}, query, o),
    revoke: (id: string, o?: RequestOptions) => this.call('revokeApiKey', { path: { id } }, o),
  };

  readonly delegationRequests = {
    create: (body: Body<'createDelegationRequest'>, o?: RequestOptions) => this.call('createDelegationRequest', { body }, o),
    list: (query?: Query<'listDelegationRequests'>, o?: RequestOptions) => this.list('listDelegationRequests', {}, query, o),
    retrieve: (id: string, o?: RequestOptions) => this.call('retrieveDelegationRequest', { path: { id } }, o),
    cancel: (id: string, o?: RequestOptions) => this.call('cancelDelegationRequest', { path: { id } }, o),
  };

  readonly delegations = {
    list: (query?: Query<'listDelegations'>, o?: RequestOptions) => this.list('listDelegations', {}, query, o),
    retrieve: (id: string, o?: RequestOptions) => this.call('retrieveDelegation', { path: { id } }, o),
    renounce: (id: string, body: Body<'renounceDelegation'> = {}, o?: RequestOptions) => this.call('renounceDelegation', { path: { id }, body }, o),
    createConsentToken: (id: string, body: Body<'createConsentToken'> = {}, o?: RequestOptions) => this.call('createConsentToken', { path: { id }, body }, o),
  };

  readonly consentTokens = {
    jwks: (o?: RequestOptions) => this.call('getJwks', {}, o),
    introspect: (token: string, o?: RequestOptions) => this.call('introspectConsentToken', { body: { token } }, o),
    check: (query?: Query<'checkConsentToken'>, o?: RequestOptions) => this.call('checkConsentToken', { query }, o),
  };

  readonly procedures = {
    create: (body: Body<'createProcedure'>, o?: RequestOptions) => this.call('createProcedure', { body }, o),
    list: (query?: Query<'listProcedures'>, o?: RequestOptions) => this.list('listProcedures', {}, query, o),
    retrieve: (id: string, o?: RequestOptions) => this.call('retrieveProcedure', { path: { id } }, o),
    /** Pass the `version` you read as `ifMatch` to refuse overwriting a newer change. */
    update: (id: string, body: Body<'updateProcedure'>, o?: RequestOptions & { ifMatch?: string }) =>
      this.call('updateProcedure', { path: { id }, body }, { ...o, headers: { ...o?.headers, ...(o?.ifMatch ? { 'if-match': o.ifMatch } : {}) } }),
    submit: (id: string, o?: RequestOptions) => this.call('submitProcedure', { path: { id } }, o),
    withdraw: (id: string, o?: RequestOptions) => this.call('withdrawProcedure', { path: { id } }, o),
    timeline: (id: string, o?: RequestOptions) => this.call('listProcedureTimeline', { path: { id } }, o),
    /** The filing receipt PDF as a Response (`.arrayBuffer()`, `.body`). */
    receipt: (id: string, o?: RequestOptions) =>
      this.transport.request<Response>({ method: 'GET', path: `/v1/procedures/${enc(id)}/receipt`, raw: true }, o),
    documents: {
      upload: async (id: string, args: { kind: Schemas['DocumentKind']; file: Uploadable; filename: string; contentType?: string }, o?: RequestOptions) => {
        const form = new FormData();
        const type = args.contentType ?? (args.filename.endsWith('.png') ? 'image/png' : /\.jpe?g$/.test(args.filename) ? 'image/jpeg' : 'application/pdf');
        form.set('kind', args.kind);
        form.set('file', await toBlob(args.file, type), args.filename);
        return this.transport.request<Result<'uploadDocument'>>({ method: 'POST', path: `/v1/procedures/${enc(id)}/documents`, body: form }, o);
      },
      list: (id: string, o?: RequestOptions) => this.call('listDocuments', { path: { id } }, o),
      /** The exact bytes as a Response. */
      download: (id: string, documentId: string, o?: RequestOptions) =>
        this.transport.request<Response>({ method: 'GET', path: `/v1/procedures/${enc(id)}/documents/${enc(documentId)}/content`, raw: true }, o),
    },
    requirements: {
      respond: (id: string, requirementId: string, body: Body<'respondToRequirement'>, o?: RequestOptions) =>
        this.call('respondToRequirement', { path: { id, requirement_id: requirementId }, body }, o),
    },
  };

  readonly events = {
    list: (query?: Query<'listEvents'>, o?: RequestOptions) => this.list('listEvents', {}, query, o),
    retrieve: (id: string, o?: RequestOptions) => this.call('retrieveEvent', { path: { id } }, o),
  };

  readonly webhookEndpoints = {
    create: (body: Body<'createWebhookEndpoint'>, o?: RequestOptions) => this.call('createWebhookEndpoint', { body }, o),
    list: (query?: Query<'listWebhookEndpoints'>, o?: RequestOptions) => this.list('listWebhookEndpoints', {}, query, o),
    retrieve: (id: string, o?: RequestOptions) => this.call('retrieveWebhookEndpoint', { path: { id } }, o),
    update: (id: string, body: Body<'updateWebhookEndpoint'>, o?: RequestOptions) => this.call('updateWebhookEndpoint', { path: { id }, body }, o),
    del: (id: string, o?: RequestOptions) => this.call('deleteWebhookEndpoint', { path: { id } }, o),
    rotateSecret: (id: string, o?: RequestOptions) => this.call('rotateWebhookEndpointSecret', { path: { id } }, o),
    test: (id: string, o?: RequestOptions) => this.call('testWebhookEndpoint', { path: { id } }, o),
    deliveries: (id: string, query?: Query<'listWebhookDeliveries'>, o?: RequestOptions) => this.list('listWebhookDeliveries', { id }, query, o),
    retryDelivery: (id: string, deliveryId: string, o?: RequestOptions) => this.call('retryWebhookDelivery', { path: { id, delivery_id: deliveryId } }, o),
  };

  readonly sandbox = {
    acceptDelegationRequest: (id: string, o?: RequestOptions) => this.call('sandboxAcceptDelegationRequest', { path: { id } }, o),
    rejectDelegationRequest: (id: string, o?: RequestOptions) => this.call('sandboxRejectDelegationRequest', { path: { id } }, o),
    advanceProcedure: (id: string, body: Body<'sandboxAdvanceProcedure'>, o?: RequestOptions) => this.call('sandboxAdvanceProcedure', { path: { id }, body }, o),
  };

  readonly agency = {
    listProcedures: (query?: Query<'agencyListProcedures'>, o?: RequestOptions) => this.list('agencyListProcedures', {}, query, o),
    retrieveProcedure: (id: string, o?: RequestOptions) => this.call('agencyRetrieveProcedure', { path: { id } }, o),
    admit: (id: string, o?: RequestOptions) => this.call('agencyAdmitProcedure', { path: { id } }, o),
    issueRequirement: (id: string, body: Body<'agencyIssueRequirement'>, o?: RequestOptions) => this.call('agencyIssueRequirement', { path: { id }, body }, o),
    resolve: (id: string, body: Body<'agencyResolveProcedure'>, o?: RequestOptions) => this.call('agencyResolveProcedure', { path: { id }, body }, o),
  };

  readonly citizen = {
    listDelegationRequests: (query?: Query<'listMyDelegationRequests'>, o?: RequestOptions) => this.list('listMyDelegationRequests', {}, query, o),
    acceptDelegationRequest: (id: string, o?: RequestOptions) => this.call('acceptMyDelegationRequest', { path: { id } }, o),
    rejectDelegationRequest: (id: string, o?: RequestOptions) => this.call('rejectMyDelegationRequest', { path: { id } }, o),
    listDelegations: (query?: Query<'listMyDelegations'>, o?: RequestOptions) => this.list('listMyDelegations', {}, query, o),
    revokeDelegation: (id: string, o?: RequestOptions) => this.call('revokeMyDelegation', { path: { id } }, o),
    listProcedures: (query?: Query<'listMyProcedures'>, o?: RequestOptions) => this.list('listMyProcedures', {}, query, o),
    procedureTimeline: (id: string, o?: RequestOptions) => this.call('listMyProcedureTimeline', { path: { id } }, o),
    accessLog: (query?: Query<'listMyAccessLog'>, o?: RequestOptions) => this.list('listMyAccessLog', {}, query, o),
  };

  readonly admin = {
    listOrganizations: (query?: Query<'adminListOrganizations'>, o?: RequestOptions) => this.list('adminListOrganizations', {}, query, o),
    verifyOrganization: (id: string, body: Body<'adminVerifyOrganization'>, o?: RequestOptions) => this.call('adminVerifyOrganization', { path: { id }, body }, o),
    suspendOrganization: (id: string, body: Body<'adminSuspendOrganization'>, o?: RequestOptions) => this.call('adminSuspendOrganization', { path: { id }, body }, o),
    reinstateOrganization: (id: string, o?: RequestOptions) => this.call('adminReinstateOrganization', { path: { id } }, o),
    createAgencyKey: (body: Body<'adminCreateAgencyKey'>, o?: RequestOptions) => this.call('adminCreateAgencyKey', { body }, o),
  };

  readonly webhooks = { unwrap };

  /**
   * A client for one client's (citizen's) affairs: it mints consent tokens from the delegation,
   * caches them, renews them a minute before expiry and sends `Puente-Consent` on every call.
   * When the delegation is no longer active, calls throw DelegationInactiveError.
   */
  forClient(delegationId: string, options: { lifetimeSeconds?: number; renewBeforeSeconds?: number } = {}): Puente {
    let cached: { token: string; expiresAt: number } | undefined;
    const renewBefore = (options.renewBeforeSeconds ?? 60) * 1000;
    const consent = async (): Promise<string> => {
      if (!cached || cached.expiresAt - renewBefore <= Date.now()) {
        const minted = await this.delegations.createConsentToken(delegationId, { lifetime_seconds: options.lifetimeSeconds ?? 600 });
        cached = { token: minted.token, expiresAt: Date.parse(minted.expires_at) };
      }
      return cached.token;
    };
    const scoped = new Puente(this.transport.options);
    const request = scoped.transport.request.bind(scoped.transport);
    scoped.transport.request = async (call, requestOptions = {}) => {
      const token = await consent();
      try {
        return await request(call, { ...requestOptions, headers: { ...requestOptions.headers, 'puente-consent': token } });
      } catch (error) {
        if (error instanceof DelegationInactiveError) cached = undefined;
        throw error;
      }
    };
    return scoped;
  }
}

/** Every operation of the API and the SDK method that calls it; a test keeps this complete. */
export const operationMethods: Record<OperationId, string> = {
  getHealth: 'health.retrieve',
  listProcedureTypes: 'procedureTypes.list', retrieveProcedureType: 'procedureTypes.retrieve', retrieveProcedureTypeForm: 'procedureTypes.form',
  computeDeadline: 'calendar.computeDeadline',
  registerOrganization: 'organization.register', retrieveOrganization: 'organization.retrieve',
  createMember: 'members.create', listMembers: 'members.list', retrieveMember: 'members.retrieve', deleteMember: 'members.del',
  createApiKey: 'apiKeys.create', listApiKeys: 'apiKeys.list', revokeApiKey: 'apiKeys.revoke',
  createDelegationRequest: 'delegationRequests.create', listDelegationRequests: 'delegationRequests.list',
  retrieveDelegationRequest: 'delegationRequests.retrieve', cancelDelegationRequest: 'delegationRequests.cancel',
  listDelegations: 'delegations.list', retrieveDelegation: 'delegations.retrieve', renounceDelegation: 'delegations.renounce',
  createConsentToken: 'delegations.createConsentToken',
  getJwks: 'consentTokens.jwks', introspectConsentToken: 'consentTokens.introspect', checkConsentToken: 'consentTokens.check',
  createProcedure: 'procedures.create', listProcedures: 'procedures.list', retrieveProcedure: 'procedures.retrieve', updateProcedure: 'procedures.update',
  submitProcedure: 'procedures.submit', withdrawProcedure: 'procedures.withdraw', listProcedureTimeline: 'procedures.timeline',
  retrieveProcedureReceipt: 'procedures.receipt', uploadDocument: 'procedures.documents.upload', listDocuments: 'procedures.documents.list',
  downloadDocument: 'procedures.documents.download', respondToRequirement: 'procedures.requirements.respond',
  listEvents: 'events.list', retrieveEvent: 'events.retrieve',
  createWebhookEndpoint: 'webhookEndpoints.create', listWebhookEndpoints: 'webhookEndpoints.list', retrieveWebhookEndpoint: 'webhookEndpoints.retrieve',
  updateWebhookEndpoint: 'webhookEndpoints.update', deleteWebhookEndpoint: 'webhookEndpoints.del', rotateWebhookEndpointSecret: 'webhookEndpoints.rotateSecret',
  testWebhookEndpoint: 'webhookEndpoints.test', listWebhookDeliveries: 'webhookEndpoints.deliveries', retryWebhookDelivery: 'webhookEndpoints.retryDelivery',
  sandboxAcceptDelegationRequest: 'sandbox.acceptDelegationRequest', sandboxRejectDelegationRequest: 'sandbox.rejectDelegationRequest',
  sandboxAdvanceProcedure: 'sandbox.advanceProcedure',
  agencyListProcedures: 'agency.listProcedures', agencyRetrieveProcedure: 'agency.retrieveProcedure', agencyAdmitProcedure: 'agency.admit',
  agencyIssueRequirement: 'agency.issueRequirement', agencyResolveProcedure: 'agency.resolve',
  listMyDelegationRequests: 'citizen.listDelegationRequests', acceptMyDelegationRequest: 'citizen.acceptDelegationRequest',
  rejectMyDelegationRequest: 'citizen.rejectDelegationRequest', listMyDelegations: 'citizen.listDelegations', revokeMyDelegation: 'citizen.revokeDelegation',
  listMyProcedures: 'citizen.listProcedures', listMyProcedureTimeline: 'citizen.procedureTimeline', listMyAccessLog: 'citizen.accessLog',
  adminListOrganizations: 'admin.listOrganizations', adminVerifyOrganization: 'admin.verifyOrganization', adminSuspendOrganization: 'admin.suspendOrganization',
  adminReinstateOrganization: 'admin.reinstateOrganization', adminCreateAgencyKey: 'admin.createAgencyKey',
};
