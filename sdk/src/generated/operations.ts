// Generated from openapi/openapi.json by `npm run sdk:generate`. Do not edit.
import type { PagePromise } from '../pagination';
import type { RequestOptions } from '../transport';
import type { Body, OperationSpec, Query, Result } from '../types';

/** How to call each operation of the API. */
export const OPERATIONS = {
  acceptMyDelegationRequest: { method: 'POST', path: '/v1/me/delegation-requests/{id}/accept', body: ['application/json'] },
  accessProcedureNotification: { method: 'POST', path: '/v1/procedures/{id}/notifications/{notification_id}/access', consent: true },
  adminAddAreaHolidays: { method: 'POST', path: '/v1/admin/calendar/years/{year}/areas/{area}/days', body: ['application/json'] },
  adminAddMunicipalityHolidays: { method: 'POST', path: '/v1/admin/calendar/years/{year}/municipalities/{municipality}/days', body: ['application/json'] },
  adminAddRegionHolidays: { method: 'POST', path: '/v1/admin/calendar/years/{year}/regions/{region}/days', body: ['application/json'] },
  adminCreateAgencyKey: { method: 'POST', path: '/v1/admin/agency-keys', body: ['application/json'] },
  adminIssueOwnerKey: { method: 'POST', path: '/v1/admin/organizations/{id}/owner-keys', body: ['application/json'] },
  adminListAgencyKeys: { method: 'GET', path: '/v1/admin/agency-keys', query: true, paginated: true },
  adminListCalendarChanges: { method: 'GET', path: '/v1/admin/calendar/changes', query: true, paginated: true },
  adminListOrganizations: { method: 'GET', path: '/v1/admin/organizations', query: true, paginated: true },
  adminReinstateOrganization: { method: 'POST', path: '/v1/admin/organizations/{id}/reinstate' },
  adminReplaceAreaHolidays: { method: 'PUT', path: '/v1/admin/calendar/years/{year}/areas/{area}', body: ['application/json'] },
  adminReplaceCalendarYear: { method: 'PUT', path: '/v1/admin/calendar/years/{year}', body: ['application/json'] },
  adminReplaceMunicipalityHolidays: { method: 'PUT', path: '/v1/admin/calendar/years/{year}/municipalities/{municipality}', body: ['application/json'] },
  adminReplaceRegionHolidays: { method: 'PUT', path: '/v1/admin/calendar/years/{year}/regions/{region}', body: ['application/json'] },
  adminRetrieveCalendarChange: { method: 'GET', path: '/v1/admin/calendar/changes/{id}' },
  adminRevokeAgencyKey: { method: 'DELETE', path: '/v1/admin/agency-keys/{id}' },
  adminRotateSigningKey: { method: 'POST', path: '/v1/admin/signing-keys/rotate' },
  adminSuspendOrganization: { method: 'POST', path: '/v1/admin/organizations/{id}/suspend', body: ['application/json'] },
  adminVerifyOrganization: { method: 'POST', path: '/v1/admin/organizations/{id}/verify', body: ['application/json'] },
  agencyAdmitProcedure: { method: 'POST', path: '/v1/agency/procedures/{id}/admit' },
  agencyDeclareLapse: { method: 'POST', path: '/v1/agency/procedures/{id}/lapse-declaration', body: ['application/json'] },
  agencyDeclareWithdrawal: { method: 'POST', path: '/v1/agency/procedures/{id}/withdrawal-declaration', body: ['application/json'] },
  agencyDownloadDocument: { method: 'GET', path: '/v1/agency/procedures/{id}/documents/{document_id}/content', binary: true },
  agencyIssueRequirement: { method: 'POST', path: '/v1/agency/procedures/{id}/requirements', body: ['application/json'] },
  agencyListProcedures: { method: 'GET', path: '/v1/agency/procedures', query: true, paginated: true },
  agencyResolveProcedure: { method: 'POST', path: '/v1/agency/procedures/{id}/resolve', body: ['application/json'] },
  agencyRetrieveProcedure: { method: 'GET', path: '/v1/agency/procedures/{id}' },
  agencyWarnLapse: { method: 'POST', path: '/v1/agency/procedures/{id}/lapse-warning', body: ['application/json'] },
  cancelDelegationRequest: { method: 'POST', path: '/v1/delegation-requests/{id}/cancel' },
  checkConsentToken: { method: 'GET', path: '/v1/consent-tokens/current', query: true, consent: true },
  computeDeadline: { method: 'GET', path: '/v1/calendar/deadline', query: true },
  confirmMyContact: { method: 'POST', path: '/v1/me/aviso-settings/contacts/{channel}/confirm', body: ['application/json'] },
  createApiKey: { method: 'POST', path: '/v1/api-keys', body: ['application/json'] },
  createConsentToken: { method: 'POST', path: '/v1/delegations/{id}/consent-tokens', body: ['application/json'] },
  createDelegationRequest: { method: 'POST', path: '/v1/delegation-requests', body: ['application/json'] },
  createDelegationRequestBatch: { method: 'POST', path: '/v1/delegation-requests/batches', body: ['multipart/form-data', 'text/csv', 'application/json'] },
  createMember: { method: 'POST', path: '/v1/members', body: ['application/json'] },
  createProcedure: { method: 'POST', path: '/v1/procedures', body: ['application/json'], consent: true },
  createWebhookEndpoint: { method: 'POST', path: '/v1/webhook-endpoints', body: ['application/json'] },
  deleteMember: { method: 'DELETE', path: '/v1/members/{id}' },
  deleteWebhookEndpoint: { method: 'DELETE', path: '/v1/webhook-endpoints/{id}' },
  downloadDocument: { method: 'GET', path: '/v1/procedures/{id}/documents/{document_id}/content', binary: true, consent: true },
  downloadMyDocument: { method: 'GET', path: '/v1/me/procedures/{id}/documents/{document_id}/content', binary: true },
  exportMyAccessLog: { method: 'GET', path: '/v1/me/access-log/export', query: true, binary: true },
  getHealth: { method: 'GET', path: '/health' },
  getJwks: { method: 'GET', path: '/.well-known/jwks.json' },
  getMyAvisoSettings: { method: 'GET', path: '/v1/me/aviso-settings' },
  introspectConsentToken: { method: 'POST', path: '/v1/consent-tokens/introspect', body: ['application/json'] },
  listApiKeys: { method: 'GET', path: '/v1/api-keys', query: true, paginated: true },
  listDelegationRequestBatchRows: { method: 'GET', path: '/v1/delegation-requests/batches/{id}/rows', query: true, paginated: true },
  listDelegationRequests: { method: 'GET', path: '/v1/delegation-requests', query: true, paginated: true },
  listDelegations: { method: 'GET', path: '/v1/delegations', query: true, paginated: true },
  listDocuments: { method: 'GET', path: '/v1/procedures/{id}/documents', consent: true },
  listEvents: { method: 'GET', path: '/v1/events', query: true, paginated: true },
  listHolidays: { method: 'GET', path: '/v1/calendar/holidays', query: true },
  listMembers: { method: 'GET', path: '/v1/members', query: true, paginated: true },
  listMyAccessLog: { method: 'GET', path: '/v1/me/access-log', query: true, paginated: true },
  listMyAvisos: { method: 'GET', path: '/v1/me/avisos', query: true, paginated: true },
  listMyDelegationRequests: { method: 'GET', path: '/v1/me/delegation-requests', query: true, paginated: true },
  listMyDelegations: { method: 'GET', path: '/v1/me/delegations', query: true, paginated: true },
  listMyProcedures: { method: 'GET', path: '/v1/me/procedures', query: true, paginated: true },
  listMyProcedureTimeline: { method: 'GET', path: '/v1/me/procedures/{id}/timeline' },
  listProcedureNotifications: { method: 'GET', path: '/v1/procedures/{id}/notifications', consent: true },
  listProcedures: { method: 'GET', path: '/v1/procedures', query: true, paginated: true },
  listProcedureTimeline: { method: 'GET', path: '/v1/procedures/{id}/timeline', consent: true },
  listProcedureTypes: { method: 'GET', path: '/v1/procedure-types' },
  listWebhookDeliveries: { method: 'GET', path: '/v1/webhook-endpoints/{id}/deliveries', query: true, paginated: true },
  listWebhookEndpoints: { method: 'GET', path: '/v1/webhook-endpoints', query: true, paginated: true },
  registerOrganization: { method: 'POST', path: '/v1/organizations', body: ['application/json'] },
  rejectMyDelegationRequest: { method: 'POST', path: '/v1/me/delegation-requests/{id}/reject' },
  removeMyContact: { method: 'DELETE', path: '/v1/me/aviso-settings/contacts/{channel}' },
  renounceDelegation: { method: 'POST', path: '/v1/delegations/{id}/renounce', body: ['application/json'] },
  respondToRequirement: { method: 'POST', path: '/v1/procedures/{id}/requirements/{requirement_id}/response', body: ['application/json'], consent: true },
  retrieveDelegation: { method: 'GET', path: '/v1/delegations/{id}' },
  retrieveDelegationRequest: { method: 'GET', path: '/v1/delegation-requests/{id}' },
  retrieveDelegationRequestBatch: { method: 'GET', path: '/v1/delegation-requests/batches/{id}' },
  retrieveEvent: { method: 'GET', path: '/v1/events/{id}' },
  retrieveMember: { method: 'GET', path: '/v1/members/{id}' },
  retrieveMyProcedure: { method: 'GET', path: '/v1/me/procedures/{id}' },
  retrieveMyProcedureReceipt: { method: 'GET', path: '/v1/me/procedures/{id}/receipt', binary: true },
  retrieveOrganization: { method: 'GET', path: '/v1/organization' },
  retrieveProcedure: { method: 'GET', path: '/v1/procedures/{id}', consent: true },
  retrieveProcedureNotification: { method: 'GET', path: '/v1/procedures/{id}/notifications/{notification_id}', consent: true },
  retrieveProcedureReceipt: { method: 'GET', path: '/v1/procedures/{id}/receipt', binary: true, consent: true },
  retrieveProcedureType: { method: 'GET', path: '/v1/procedure-types/{code}' },
  retrieveProcedureTypeForm: { method: 'GET', path: '/v1/procedure-types/{code}/form' },
  retrieveWebhookEndpoint: { method: 'GET', path: '/v1/webhook-endpoints/{id}' },
  retryWebhookDelivery: { method: 'POST', path: '/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry' },
  revokeApiKey: { method: 'DELETE', path: '/v1/api-keys/{id}' },
  revokeMyDelegation: { method: 'POST', path: '/v1/me/delegations/{id}/revoke' },
  rotateWebhookEndpointSecret: { method: 'POST', path: '/v1/webhook-endpoints/{id}/rotate-secret', body: ['application/json'] },
  sandboxAcceptDelegationRequest: { method: 'POST', path: '/v1/sandbox/delegation-requests/{id}/accept' },
  sandboxAdvanceProcedure: { method: 'POST', path: '/v1/sandbox/procedures/{id}/advance', body: ['application/json'] },
  sandboxRejectDelegationRequest: { method: 'POST', path: '/v1/sandbox/delegation-requests/{id}/reject' },
  startMyContactConfirmation: { method: 'POST', path: '/v1/me/aviso-settings/contacts/{channel}', body: ['application/json'] },
  submitProcedure: { method: 'POST', path: '/v1/procedures/{id}/submit', consent: true },
  testWebhookEndpoint: { method: 'POST', path: '/v1/webhook-endpoints/{id}/test' },
  updateMyAvisoSettings: { method: 'PUT', path: '/v1/me/aviso-settings', body: ['application/json'] },
  updateProcedure: { method: 'PATCH', path: '/v1/procedures/{id}', body: ['application/json'], consent: true },
  updateWebhookEndpoint: { method: 'PATCH', path: '/v1/webhook-endpoints/{id}', body: ['application/json'] },
  uploadDocument: { method: 'POST', path: '/v1/procedures/{id}/documents', body: ['multipart/form-data'], consent: true },
  withdrawProcedure: { method: 'POST', path: '/v1/procedures/{id}/withdraw', consent: true },
} as const satisfies Record<string, OperationSpec>;

/** Every operation of the API and the client method that calls it. */
export const operationMethods = {
  acceptMyDelegationRequest: 'citizen.acceptDelegationRequest',
  accessProcedureNotification: 'procedures.notifications.open',
  adminAddAreaHolidays: 'admin.addAreaHolidays',
  adminAddMunicipalityHolidays: 'admin.addMunicipalityHolidays',
  adminAddRegionHolidays: 'admin.addRegionHolidays',
  adminCreateAgencyKey: 'admin.createAgencyKey',
  adminIssueOwnerKey: 'admin.issueOwnerKey',
  adminListAgencyKeys: 'admin.listAgencyKeys',
  adminListCalendarChanges: 'admin.listCalendarChanges',
  adminListOrganizations: 'admin.listOrganizations',
  adminReinstateOrganization: 'admin.reinstateOrganization',
  adminReplaceAreaHolidays: 'admin.replaceAreaHolidays',
  adminReplaceCalendarYear: 'admin.replaceCalendarYear',
  adminReplaceMunicipalityHolidays: 'admin.replaceMunicipalityHolidays',
  adminReplaceRegionHolidays: 'admin.replaceRegionHolidays',
  adminRetrieveCalendarChange: 'admin.retrieveCalendarChange',
  adminRevokeAgencyKey: 'admin.revokeAgencyKey',
  adminRotateSigningKey: 'admin.rotateSigningKey',
  adminSuspendOrganization: 'admin.suspendOrganization',
  adminVerifyOrganization: 'admin.verifyOrganization',
  agencyAdmitProcedure: 'agency.admitProcedure',
  agencyDeclareLapse: 'agency.declareLapse',
  agencyDeclareWithdrawal: 'agency.declareWithdrawal',
  agencyDownloadDocument: 'agency.downloadDocument',
  agencyIssueRequirement: 'agency.issueRequirement',
  agencyListProcedures: 'agency.listProcedures',
  agencyResolveProcedure: 'agency.resolveProcedure',
  agencyRetrieveProcedure: 'agency.retrieveProcedure',
  agencyWarnLapse: 'agency.warnLapse',
  cancelDelegationRequest: 'delegationRequests.cancel',
  checkConsentToken: 'consent.checkToken',
  computeDeadline: 'calendar.computeDeadline',
  confirmMyContact: 'citizen.confirmContact',
  createApiKey: 'apiKeys.create',
  createConsentToken: 'delegations.createConsentToken',
  createDelegationRequest: 'delegationRequests.create',
  createDelegationRequestBatch: 'delegationRequests.batches.create',
  createMember: 'members.create',
  createProcedure: 'procedures.create',
  createWebhookEndpoint: 'webhookEndpoints.create',
  deleteMember: 'members.del',
  deleteWebhookEndpoint: 'webhookEndpoints.del',
  downloadDocument: 'procedures.documents.download',
  downloadMyDocument: 'citizen.downloadDocument',
  exportMyAccessLog: 'citizen.exportAccessLog',
  getHealth: 'service.getHealth',
  getJwks: 'consent.getJwks',
  getMyAvisoSettings: 'citizen.getAvisoSettings',
  introspectConsentToken: 'consent.introspectToken',
  listApiKeys: 'apiKeys.list',
  listDelegationRequestBatchRows: 'delegationRequests.batches.listRows',
  listDelegationRequests: 'delegationRequests.list',
  listDelegations: 'delegations.list',
  listDocuments: 'procedures.documents.list',
  listEvents: 'events.list',
  listHolidays: 'calendar.listHolidays',
  listMembers: 'members.list',
  listMyAccessLog: 'citizen.listAccessLog',
  listMyAvisos: 'citizen.listAvisos',
  listMyDelegationRequests: 'citizen.listDelegationRequests',
  listMyDelegations: 'citizen.listDelegations',
  listMyProcedures: 'citizen.listProcedures',
  listMyProcedureTimeline: 'citizen.listProcedureTimeline',
  listProcedureNotifications: 'procedures.notifications.list',
  listProcedures: 'procedures.list',
  listProcedureTimeline: 'procedures.timeline',
  listProcedureTypes: 'procedureTypes.list',
  listWebhookDeliveries: 'webhookEndpoints.listDeliveries',
  listWebhookEndpoints: 'webhookEndpoints.list',
  registerOrganization: 'organization.register',
  rejectMyDelegationRequest: 'citizen.rejectDelegationRequest',
  removeMyContact: 'citizen.removeContact',
  renounceDelegation: 'delegations.renounce',
  respondToRequirement: 'procedures.requirements.respond',
  retrieveDelegation: 'delegations.retrieve',
  retrieveDelegationRequest: 'delegationRequests.retrieve',
  retrieveDelegationRequestBatch: 'delegationRequests.batches.retrieve',
  retrieveEvent: 'events.retrieve',
  retrieveMember: 'members.retrieve',
  retrieveMyProcedure: 'citizen.retrieveProcedure',
  retrieveMyProcedureReceipt: 'citizen.retrieveProcedureReceipt',
  retrieveOrganization: 'organization.retrieve',
  retrieveProcedure: 'procedures.retrieve',
  retrieveProcedureNotification: 'procedures.notifications.retrieve',
  retrieveProcedureReceipt: 'procedures.receipt',
  retrieveProcedureType: 'procedureTypes.retrieve',
  retrieveProcedureTypeForm: 'procedureTypes.retrieveForm',
  retrieveWebhookEndpoint: 'webhookEndpoints.retrieve',
  retryWebhookDelivery: 'webhookEndpoints.retryDelivery',
  revokeApiKey: 'apiKeys.revoke',
  revokeMyDelegation: 'citizen.revokeDelegation',
  rotateWebhookEndpointSecret: 'webhookEndpoints.rotateSecret',
  sandboxAcceptDelegationRequest: 'sandbox.acceptDelegationRequest',
  sandboxAdvanceProcedure: 'sandbox.advanceProcedure',
  sandboxRejectDelegationRequest: 'sandbox.rejectDelegationRequest',
  startMyContactConfirmation: 'citizen.startContactConfirmation',
  submitProcedure: 'procedures.submit',
  testWebhookEndpoint: 'webhookEndpoints.test',
  updateMyAvisoSettings: 'citizen.updateAvisoSettings',
  updateProcedure: 'procedures.update',
  updateWebhookEndpoint: 'webhookEndpoints.update',
  uploadDocument: 'procedures.documents.upload',
  withdrawProcedure: 'procedures.withdraw',
} as const;

/** The resource namespaces of the client. */
export interface Resources {
  service: {
    /**
     * Process and database status
     *
     * Answers 200 when the database answers, 503 otherwise. Needs no credential; meant for load balancers.
     * @see operation `getHealth`
     */
    getHealth(options?: RequestOptions): Promise<Result<'getHealth'>>;
  };
  procedureTypes: {
    /**
     * List the procedure catalogue
     *
     * Every benefit procedure Puente can file, with its required documents, legal maximum term and the confidence of each fact. Public.
     * @see operation `listProcedureTypes`
     */
    list(options?: RequestOptions): Promise<Result<'listProcedureTypes'>>;
    /**
     * The application form of a type, as JSON Schema
     *
     * JSON Schema (2020-12) of the complete `form` a procedure of this type needs at submission, so case software can render and pre-validate it.
     * @see operation `retrieveProcedureTypeForm`
     */
    retrieveForm(code: string, options?: RequestOptions): Promise<Result<'retrieveProcedureTypeForm'>>;
    /**
     * Retrieve one procedure type
     *
     * One entry of the catalogue: the procedure's legal basis, managing body, the documents it needs (always and by circumstance), its maximum resolution term and the effect of administrative silence.
     * @see operation `retrieveProcedureType`
     */
    retrieve(code: string, options?: RequestOptions): Promise<Result<'retrieveProcedureType'>>;
  };
  calendar: {
    /**
     * Compute an administrative deadline
     *
     * Adds días hábiles (weekends and holidays skipped), months (date to date) or días naturales (every day counts) to a date; a last day that is not hábil rolls forward (Ley 39/2015, art. 30). Pass exactly one of `business_days`, `months` or `natural_days`. A day is inhábil when it is a holiday in the country, or in the community, island or territory, or municipality of the applicant or of the deciding office's seat (art. 30.6). The answer lists every day skipped with its reason and place, the places used, the weakest grade of the data behind it, and warnings whenever something is unknown or uncertain (no community given, a municipality without local data, a provisional year). A year without holiday data answers 422 `calendar_unavailable`.
     * @see operation `computeDeadline`
     */
    computeDeadline(query: Query<'computeDeadline'>, options?: RequestOptions): Promise<Result<'computeDeadline'>>;
    /**
     * List the holidays of a year that apply to a place
     *
     * National days, then those of the community (without the ones its island or territory lifts), of the island or historical territory, and of the municipality, each with its source and confidence grade. A year without data answers 422 `calendar_unavailable`.
     * @see operation `listHolidays`
     */
    listHolidays(query: Query<'listHolidays'>, options?: RequestOptions): Promise<Result<'listHolidays'>>;
  };
  organization: {
    /**
     * Register a representative organisation
     *
     * Public sign-up. The organisation starts `pending_verification` and gets, once, a test-mode key to build its integration; live keys exist only after a platform administrator verifies it. Rate-limited per client address.
     * @see operation `registerOrganization`
     */
    register(body: Body<'registerOrganization'>, options?: RequestOptions): Promise<Result<'registerOrganization'>>;
    /**
     * Retrieve the caller's organisation
     *
     * The representative organisation the API key belongs to: its NIF, verification state, and whether live mode is available.
     * @see operation `retrieveOrganization`
     */
    retrieve(options?: RequestOptions): Promise<Result<'retrieveOrganization'>>;
  };
  members: {
    /**
     * Add a member
     *
     * Adds a professional of the organisation. Needs the admin or owner role.
     * @see operation `createMember`
     */
    create(body: Body<'createMember'>, options?: RequestOptions): Promise<Result<'createMember'>>;
    /**
     * List members
     *
     * The professionals registered in the organisation, oldest first (the order they were added), cursor-paginated. Filter by `status` to see active or removed members.
     * @see operation `listMembers`
     */
    list(query?: Query<'listMembers'>, options?: RequestOptions): PagePromise<Result<'listMembers'>>;
    /**
     * Retrieve a member
     *
     * One member of the organisation by id. Members of other organisations are answered as `not_found`.
     * @see operation `retrieveMember`
     */
    retrieve(id: string, options?: RequestOptions): Promise<Result<'retrieveMember'>>;
    /**
     * Remove a member
     *
     * The member can no longer act; every key bound to them is revoked at once. The record stays, for the audit trail. Needs a role above the member's: the owner removes admins, an admin removes agents and viewers.
     * @see operation `deleteMember`
     */
    del(id: string, options?: RequestOptions): Promise<Result<'deleteMember'>>;
  };
  apiKeys: {
    /**
     * Create an API key
     *
     * Answers the secret once; only its hash is kept. A live key (`livemode: true`) needs a verified organisation. Needs the admin or owner role; a key for another member (`member_id`) needs a role above theirs.
     * @see operation `createApiKey`
     */
    create(body: Body<'createApiKey'>, options?: RequestOptions): Promise<Result<'createApiKey'>>;
    /**
     * List API keys
     *
     * Keys of both modes, without their secrets.
     * @see operation `listApiKeys`
     */
    list(query?: Query<'listApiKeys'>, options?: RequestOptions): PagePromise<Result<'listApiKeys'>>;
    /**
     * Revoke an API key
     *
     * Takes effect on the very next request, on every instance. Revoking twice is harmless. Another member's key needs a role above theirs.
     * @see operation `revokeApiKey`
     */
    revoke(id: string, options?: RequestOptions): Promise<Result<'revokeApiKey'>>;
  };
  delegationRequests: {
    batches: {
      /**
       * Ask many citizens for a delegation at once
       *
       * Up to 5000 rows, as a CSV file (the `file` part of multipart/form-data, or a text/csv body) or as JSON `{ rows: [...] }`. Answers at once with the batch; its rows are then processed in the background, each exactly as `POST /v1/delegation-requests` would (same checks, same duplicate rule), in order. A row whose citizen already has a pending request for the same scope (made before the batch or by an earlier row of the same batch) is counted as a duplicate and names that request. Poll the batch for progress, or wait for the `delegation_request_batch.completed` event; the outcome of each row is in its rows list. Send an `Idempotency-Key`: the same batch sent again with it answers the same batch. An organisation registered as a non-practising professional is refused with 403 `organization_not_practising` before any row is kept.
       * @see operation `createDelegationRequestBatch`
       */
      create(body?: Body<'createDelegationRequestBatch'>, options?: RequestOptions): Promise<Result<'createDelegationRequestBatch'>>;
      /**
       * Retrieve a batch of delegation requests
       *
       * Progress (`done` of `total`, with `created`, `duplicates` and `failed`); the outcome of each row is in its rows list.
       * @see operation `retrieveDelegationRequestBatch`
       */
      retrieve(id: string, options?: RequestOptions): Promise<Result<'retrieveDelegationRequestBatch'>>;
      /**
       * List the rows of a batch and their outcomes
       *
       * In row order: the request each row created, the pending request a duplicate row found, or the problem of a failed row with the field (and CSV column) at fault. Filter with `status=failed` to get only the rows to fix.
       * @see operation `listDelegationRequestBatchRows`
       */
      listRows(id: string, query?: Query<'listDelegationRequestBatchRows'>, options?: RequestOptions): PagePromise<Result<'listDelegationRequestBatchRows'>>;
    };
    /**
     * Ask a citizen for a delegation
     *
     * The citizen gets an approval link and a short code; they sign in, see who asks and for what, and accept or reject. Expires if not answered (21 days by default), and at the latest when its `valid_until` day ends (Europe/Madrid): a request is never accepted into a delegation that has already ended. A pending request for the same citizen and scope answers 409 with its id. An organisation registered as a non-practising professional may not represent anyone, so its requests are refused with 403 `organization_not_practising`.
     * @see operation `createDelegationRequest`
     */
    create(body: Body<'createDelegationRequest'>, options?: RequestOptions): Promise<Result<'createDelegationRequest'>>;
    /**
     * List delegation requests
     *
     * Requests the organisation has sent to citizens, oldest first (the order they were made), cursor-paginated; filter by `status` (pending, accepted, rejected, expired, cancelled).
     * @see operation `listDelegationRequests`
     */
    list(query?: Query<'listDelegationRequests'>, options?: RequestOptions): PagePromise<Result<'listDelegationRequests'>>;
    /**
     * Retrieve a delegation request
     *
     * One delegation request with its status, the scope asked for, and the delegation it became once accepted.
     * @see operation `retrieveDelegationRequest`
     */
    retrieve(id: string, options?: RequestOptions): Promise<Result<'retrieveDelegationRequest'>>;
    /**
     * Cancel a pending delegation request
     *
     * Withdraws a request the citizen has not answered yet. Only `pending` requests can be cancelled; otherwise 409 names the current state. Emits `delegation_request.cancelled`.
     * @see operation `cancelDelegationRequest`
     */
    cancel(id: string, options?: RequestOptions): Promise<Result<'cancelDelegationRequest'>>;
  };
  delegations: {
    /**
     * List delegations granted to the organisation
     *
     * Powers citizens have granted to the organisation, oldest first (the order they were granted), cursor-paginated; filter by `status` to find those still active.
     * @see operation `listDelegations`
     */
    list(query?: Query<'listDelegations'>, options?: RequestOptions): PagePromise<Result<'listDelegations'>>;
    /**
     * Retrieve a delegation
     *
     * One delegation: the citizen, the scope (procedure types, subjects, capacities), its validity and, once ended, who ended it and when.
     * @see operation `retrieveDelegation`
     */
    retrieve(id: string, options?: RequestOptions): Promise<Result<'retrieveDelegation'>>;
    /**
     * Renounce a delegation
     *
     * The representative gives up the power; it ends at once.
     * @see operation `renounceDelegation`
     */
    renounce(id: string, body?: Body<'renounceDelegation'>, options?: RequestOptions): Promise<Result<'renounceDelegation'>>;
    /**
     * Mint a consent token
     *
     * A short-lived JWS (EdDSA, 10 minutes by default) proving the citizen's consent, to send as `Puente-Consent`. Every use is re-checked against the delegation in the database, so revocation takes effect on the very next request. Recorded in the citizen's access log.
     * @see operation `createConsentToken`
     */
    createConsentToken(id: string, body?: Body<'createConsentToken'>, options?: RequestOptions): Promise<Result<'createConsentToken'>>;
  };
  consent: {
    /**
     * Check the consent token you are sending
     *
     * Runs exactly the check every operation on a client's data runs (token, organisation, mode, scope, and the delegation in the database) for a capacity and, optionally, a procedure type. Answers 200 when that action would be allowed. The check is recorded in the citizen's access log.
     * @see operation `checkConsentToken`
     */
    checkToken(query?: Query<'checkConsentToken'>, options?: RequestOptions): Promise<Result<'checkConsentToken'>>;
    /**
     * Public keys that sign consent tokens
     *
     * The current key and the previous one. Anyone holding them can verify, now or later, that a filing was made under a consent token Puente signed.
     * @see operation `getJwks`
     */
    getJwks(options?: RequestOptions): Promise<Result<'getJwks'>>;
    /**
     * Is this consent token usable now?
     *
     * Checks the signature and claims and, in the database, the delegation behind it. Agency keys may introspect any token; an organisation only its own, of its key's mode (others answer `active: false`, with `consent_actor_mismatch` or `consent_mode_mismatch`).
     * @see operation `introspectConsentToken`
     */
    introspectToken(body: Body<'introspectConsentToken'>, options?: RequestOptions): Promise<Result<'introspectConsentToken'>>;
  };
  procedures: {
    /**
     * Start a procedure (draft) for the client of the consent token
     *
     * Needs the `file` capacity for the type. The form may be incomplete; submission checks it in full.
     * @see operation `createProcedure`
     */
    create(body: Body<'createProcedure'>, options?: RequestOptions): Promise<Result<'createProcedure'>>;
    /**
     * List the organisation's procedures
     *
     * Only procedures of clients the organisation still represents (an active delegation covering the type), and none while the organisation is registered as non-practising (no ejerciente), who may not represent anyone; most recently changed first. No consent token needed: each item is the procedure's state, legal dates and what it still needs, without its contents (the form, the resolution's text and amount, the requirements' messages and answers). Those are read with `retrieveProcedure` under the client's consent token, which the client's access log records.
     * @see operation `listProcedures`
     */
    list(query?: Query<'listProcedures'>, options?: RequestOptions): PagePromise<Result<'listProcedures'>>;
    /**
     * Retrieve a procedure
     *
     * With its deadlines computed for today. An act notified electronically (a requirement, a resolution) shows its text once its notification has taken effect: until it is opened or deemed rejected, `content_withheld` is true. Answers an `ETag` to send as `If-Match` when updating.
     * @see operation `retrieveProcedure`
     */
    retrieve(id: string, options?: RequestOptions): Promise<Result<'retrieveProcedure'>>;
    /**
     * Replace the form of a draft
     *
     * Drafts only. Send the `ETag` of your last read as `If-Match` to avoid overwriting someone else's change (412 if it moved). A form equal to the one the draft holds (whatever the order of its keys) writes nothing: it answers the procedure as it is, with its version and `ETag` unchanged, and adds nothing to its timeline.
     * @see operation `updateProcedure`
     */
    update(id: string, body: Body<'updateProcedure'>, options?: RequestOptions): Promise<Result<'updateProcedure'>>;
    /**
     * File the procedure
     *
     * Checks the complete form and every required document (422 listing what is missing, and nothing changes). Assigns the registry entry number, the registration day (the next working day when filed on a non-working one) and the legal maximum date for the applicant's community, and keeps the consent token that authorised it. A reclamación previa registered after its term (the contested procedure's `prior_claim_deadline`) is refused with 422 `out_of_time`, unless its form gives `late_filing_reason`.
     * @see operation `submitProcedure`
     */
    submit(id: string, options?: RequestOptions): Promise<Result<'submitProcedure'>>;
    /**
     * Withdraw (desistimiento)
     *
     * Needs the `withdraw` capacity, which the citizen must have granted explicitly.
     * @see operation `withdrawProcedure`
     */
    withdraw(id: string, options?: RequestOptions): Promise<Result<'withdrawProcedure'>>;
    /**
     * Every change of a procedure
     *
     * The audit trail of one procedure, oldest first: every status change, document, requirement and resolution, with who acted and when. Needs a consent token.
     * @see operation `listProcedureTimeline`
     */
    timeline(id: string, options?: RequestOptions): Promise<Result<'listProcedureTimeline'>>;
    /**
     * The filing receipt (justificante de presentación), as PDF
     *
     * The justificante de presentación of a submitted procedure as a PDF, with the registry entry number and date. A draft has none yet (409 `invalid_state_transition`). Needs a consent token.
     * @see operation `retrieveProcedureReceipt`
     */
    receipt(id: string, options?: RequestOptions): Promise<Response>;
    requirements: {
      /**
       * Answer a requirement (or ask once for 5 more días hábiles)
       *
       * Upload the required documents first (while the procedure is `action_required`); answering resumes the resolution clock. Needs the `respond` capacity.
       * @see operation `respondToRequirement`
       */
      respond(id: string, requirementId: string, body: Body<'respondToRequirement'>, options?: RequestOptions): Promise<Result<'respondToRequirement'>>;
    };
    documents: {
      /**
       * Attach a document
       *
       * multipart/form-data with `kind` and `file`. PDF, PNG or JPEG only, recognised by content; the size cap depends on the procedure type; a procedure holds at most 50 documents (422 `unprocessable` past that). SHA-256 recorded. While a requirement is open (`action_required`) the document answers it and needs the `respond` capacity; otherwise it completes the filing and needs `file`. A procedure that moves to a state needing the other capacity during the upload is refused with `conflict`; send it again.
       * @see operation `uploadDocument`
       */
      upload(id: string, body: Body<'uploadDocument'>, options?: RequestOptions): Promise<Result<'uploadDocument'>>;
      /**
       * List a procedure's documents
       *
       * The documents uploaded to one procedure, with kind, file name, size and SHA-256 digest: all of them in one page (a procedure holds at most 50). Needs a consent token.
       * @see operation `listDocuments`
       */
      list(id: string, options?: RequestOptions): Promise<Result<'listDocuments'>>;
      /**
       * Download a document's exact bytes
       *
       * The exact bytes of an uploaded document, with its content type and file name; their SHA-256 digest is the one listed. Needs a consent token.
       * @see operation `downloadDocument`
       */
      download(id: string, documentId: string, options?: RequestOptions): Promise<Response>;
    };
    notifications: {
      /**
       * The electronic notifications of a procedure
       *
       * Every agency act that opens a term (requirement, resolution, declared withdrawal, lapse warning, declared lapse), oldest first. Listing does not open them: a notification takes effect when a member opens it, or when it is deemed rejected after 10 días naturales unopened (art. 43.2), and its term runs from the next day.
       * @see operation `listProcedureNotifications`
       */
      list(id: string, options?: RequestOptions): Promise<Result<'listProcedureNotifications'>>;
      /**
       * A notification, without opening it
       *
       * Its state and dates; the content stays withheld until it takes effect: opened with `POST …/access`, or deemed rejected after 10 días naturales.
       * @see operation `retrieveProcedureNotification`
       */
      retrieve(id: string, notificationId: string, options?: RequestOptions): Promise<Result<'retrieveProcedureNotification'>>;
      /**
       * Open a notification (comparecencia)
       *
       * Answers the notification with its content. The first opening is the legal access (art. 43.2): it is recorded with the member and in the citizen's access log, and the term it opens runs from the next day. Opening it again returns the same notification and changes no date. Needs the `consult` capacity.
       * @see operation `accessProcedureNotification`
       */
      open(id: string, notificationId: string, options?: RequestOptions): Promise<Result<'accessProcedureNotification'>>;
    };
  };
  agency: {
    /**
     * The back-office queue
     *
     * Live procedures the body of the key decides (`managing_body`), in its community if the key is limited to one, oldest filing first. Each procedure on the page is recorded in its citizen's access log as read by the key's body and office.
     * @see operation `agencyListProcedures`
     */
    listProcedures(query?: Query<'agencyListProcedures'>, options?: RequestOptions): PagePromise<Result<'agencyListProcedures'>>;
    /**
     * A procedure with its documents
     *
     * For the managing body's caseworkers: a procedure the body decides, with its form and documents, to review it. Another body's procedure, or one outside the key's community, answers 404. The read is recorded in the citizen's access log, naming the key's body and office, before anything is answered. Answers an `ETag`: send it as `If-Match` with an act so that it is refused (412) if the procedure changed since you read it (a colleague's act, the representative's answer).
     * @see operation `agencyRetrieveProcedure`
     */
    retrieveProcedure(id: string, options?: RequestOptions): Promise<Result<'agencyRetrieveProcedure'>>;
    /**
     * Download a document's exact bytes
     *
     * For the managing body's caseworkers reviewing a procedure it decides: the exact bytes of an uploaded document, with its content type and file name; their SHA-256 digest is the one listed. The download is recorded in the citizen's access log, naming the key's body and office.
     * @see operation `agencyDownloadDocument`
     */
    downloadDocument(id: string, documentId: string, options?: RequestOptions): Promise<Response>;
    /**
     * Admit for review
     *
     * Moves a submitted procedure into review (`in_review`). Emits `procedure.status_changed`; the maximum resolution term keeps running from registration.
     * @see operation `agencyAdmitProcedure`
     */
    admitProcedure(id: string, options?: RequestOptions): Promise<Result<'agencyAdmitProcedure'>>;
    /**
     * Issue a requerimiento de subsanación
     *
     * The applicant has 10 días hábiles from notification (in their community) to cure it, extendable once by 5; the resolution clock is suspended meanwhile.
     * @see operation `agencyIssueRequirement`
     */
    issueRequirement(id: string, body: Body<'agencyIssueRequirement'>, options?: RequestOptions): Promise<Result<'agencyIssueRequirement'>>;
    /**
     * Declare the application withdrawn (requirement unanswered)
     *
     * Arts. 68.1 and 94: once the open requirement's term has passed unanswered, from the day after its deadline (409 `term_not_elapsed` before, with `earliest_on`). The declaration is notified to the representative.
     * @see operation `agencyDeclareWithdrawal`
     */
    declareWithdrawal(id: string, body?: Body<'agencyDeclareWithdrawal'>, options?: RequestOptions): Promise<Result<'agencyDeclareWithdrawal'>>;
    /**
     * Warn of caducidad (standstill caused by the applicant)
     *
     * Art. 95.1: notified to the representative; three months (date to date) after it takes effect, the procedure may be declared lapsed unless the applicant acts. Only while a requirement is open (`action_required`): answering it, or asking for more time, is the act that ends the standstill; in review the applicant has nothing to answer (409 `invalid_state_transition`).
     * @see operation `agencyWarnLapse`
     */
    warnLapse(id: string, body?: Body<'agencyWarnLapse'>, options?: RequestOptions): Promise<Result<'agencyWarnLapse'>>;
    /**
     * Declare the procedure lapsed (caducidad)
     *
     * Art. 95.1: from the day after the three months that follow the warning's notification (409 `term_not_elapsed` before); refused (409 `conflict`) with no warning, or if the representative acted since. The declaration is notified to the representative.
     * @see operation `agencyDeclareLapse`
     */
    declareLapse(id: string, body?: Body<'agencyDeclareLapse'>, options?: RequestOptions): Promise<Result<'agencyDeclareLapse'>>;
    /**
     * Resolve: approve, partially approve or deny
     *
     * Records the decision (approved, partially approved or denied) with its text and, when granted, the amount. Emits `procedure.resolved` and `procedure.status_changed`.
     * @see operation `agencyResolveProcedure`
     */
    resolveProcedure(id: string, body: Body<'agencyResolveProcedure'>, options?: RequestOptions): Promise<Result<'agencyResolveProcedure'>>;
  };
  events: {
    /**
     * The event feed
     *
     * Every event of the last 30 days, oldest first: the source of truth for clients that poll. Keep the last `next_cursor` and pass it next time to get only what is new. An event about a client's procedure is listed only while the organisation holds a delegation that lets it consult that procedure (the rule of `GET /v1/procedures`): once the delegation ends (revoked, renounced, expired or suspended), or while the organisation is registered as non-practising, those events drop out, and none is sent to webhook endpoints. The end of the delegation itself is listed and sent.
     * @see operation `listEvents`
     */
    list(query?: Query<'listEvents'>, options?: RequestOptions): PagePromise<Result<'listEvents'>>;
    /**
     * Retrieve an event
     *
     * One event by id: the body delivered to webhook endpoints (`id`, `type`, `timestamp`, `livemode`, `data`), with `object` and `created_at` besides. Events are kept for 30 days: an older one answers 404. An event about a client's procedure answers 404 once the organisation may no longer consult that procedure.
     * @see operation `retrieveEvent`
     */
    retrieve(id: string, options?: RequestOptions): Promise<Result<'retrieveEvent'>>;
  };
  webhookEndpoints: {
    /**
     * Add a webhook endpoint
     *
     * Events are signed per Standard Webhooks with the returned `whsec_` secret. URLs must be https in production and resolve to public addresses.
     * @see operation `createWebhookEndpoint`
     */
    create(body: Body<'createWebhookEndpoint'>, options?: RequestOptions): Promise<Result<'createWebhookEndpoint'>>;
    /**
     * List webhook endpoints
     *
     * The organisation's webhook endpoints, oldest first (the order they were created), cursor-paginated. Secrets are never shown again after creation.
     * @see operation `listWebhookEndpoints`
     */
    list(query?: Query<'listWebhookEndpoints'>, options?: RequestOptions): PagePromise<Result<'listWebhookEndpoints'>>;
    /**
     * Retrieve a webhook endpoint
     *
     * One webhook endpoint: its URL, the event types it receives, whether it is enabled and why it was disabled, if it was. Answers an `ETag` to send as `If-Match` when updating.
     * @see operation `retrieveWebhookEndpoint`
     */
    retrieve(id: string, options?: RequestOptions): Promise<Result<'retrieveWebhookEndpoint'>>;
    /**
     * Update a webhook endpoint
     *
     * Change the URL, the event types, or enable it again after it was disabled (`enabled: true`). Enabling it sends nothing it missed: while it was disabled no delivery was queued for it, and those pending when it was disabled were given up (`failed` in its delivery log, where each can be retried). Read what it missed in the feed (`GET /v1/events`, oldest first): the events created at or after its `disabled_at`, which enabling clears. Send the `ETag` of your last read as `If-Match` to avoid overwriting someone else's change (412 if it moved). A change that changes nothing (an empty body, or only values the endpoint already has) writes nothing: it answers the endpoint as it is, with its version and `ETag` unchanged.
     * @see operation `updateWebhookEndpoint`
     */
    update(id: string, body: Body<'updateWebhookEndpoint'>, options?: RequestOptions): Promise<Result<'updateWebhookEndpoint'>>;
    /**
     * Delete a webhook endpoint
     *
     * Removes a webhook endpoint: nothing more is delivered to it. Events stay available at `GET /v1/events`.
     * @see operation `deleteWebhookEndpoint`
     */
    del(id: string, options?: RequestOptions): Promise<Result<'deleteWebhookEndpoint'>>;
    /**
     * Rotate the signing secret
     *
     * The secret replaced keeps signing beside the new one (a signature more in `webhook-signature`) for 24 hours, or as long as `previous_secret_valid_seconds` says; secrets rotated out earlier keep signing until their own end. At most 4 secrets rotated out sign at once: a rotation beyond that is refused (409 `conflict`) unless it passes `previous_secret_valid_seconds: 0`, which stops every earlier secret at once (a leaked secret).
     * @see operation `rotateWebhookEndpointSecret`
     */
    rotateSecret(id: string, body?: Body<'rotateWebhookEndpointSecret'>, options?: RequestOptions): Promise<Result<'rotateWebhookEndpointSecret'>>;
    /**
     * Send a test event
     *
     * Queues a `webhook_endpoint.test` event for this endpoint only; see its delivery in the log.
     * @see operation `testWebhookEndpoint`
     */
    test(id: string, options?: RequestOptions): Promise<Result<'testWebhookEndpoint'>>;
    /**
     * The delivery log
     *
     * Newest first, with every attempt: status code, latency, error; the deliveries of the events of the last 30 days (older ones are deleted with their events). A delivery that may no longer be sent is given up unsent, `failed` with the reason as its attempt's error: `consent not in force` for an event about a client's procedure after the delegation ended or while the organisation is registered as non-practising, `organization suspended` while the organisation is suspended.
     * @see operation `listWebhookDeliveries`
     */
    listDeliveries(id: string, query?: Query<'listWebhookDeliveries'>, options?: RequestOptions): PagePromise<Result<'listWebhookDeliveries'>>;
    /**
     * Deliver again now
     *
     * Queues a delivery again for immediate sending, for example after fixing the receiving endpoint. The new attempt appears in the delivery log. While a worker is sending the delivery, the answer is `409 conflict`: retry once that attempt is in the log. A delivery whose event is older than the 30 days events are kept answers 404.
     * @see operation `retryWebhookDelivery`
     */
    retryDelivery(id: string, deliveryId: string, options?: RequestOptions): Promise<Result<'retryWebhookDelivery'>>;
  };
  sandbox: {
    /**
     * Play the caseworker on a test-mode procedure
     *
     * Test keys only: `admit`, `require` (documents), `approve`, `partially_approve`, `deny`, `declare_withdrawal`, `warn_lapse` or `declare_lapse`, with the same rules and effects as the agency back office.
     * @see operation `sandboxAdvanceProcedure`
     */
    advanceProcedure(id: string, body: Body<'sandboxAdvanceProcedure'>, options?: RequestOptions): Promise<Result<'sandboxAdvanceProcedure'>>;
    /**
     * Play the citizen: accept a test-mode request
     *
     * Test keys only. Creates the delegation exactly as a citizen's acceptance would, and is refused as it would be: an organisation registered as non-practising answers 403 `organization_not_practising`.
     * @see operation `sandboxAcceptDelegationRequest`
     */
    acceptDelegationRequest(id: string, options?: RequestOptions): Promise<Result<'sandboxAcceptDelegationRequest'>>;
    /**
     * Play the citizen: reject a test-mode request
     *
     * Test mode only: acts as the citizen and rejects a pending delegation request, as they would from their pages. Emits `delegation_request.rejected`.
     * @see operation `sandboxRejectDelegationRequest`
     */
    rejectDelegationRequest(id: string, options?: RequestOptions): Promise<Result<'sandboxRejectDelegationRequest'>>;
  };
  citizen: {
    /**
     * Requests addressed to me
     *
     * For the signed-in citizen: the delegation requests organisations have addressed to them, newest first, so they can accept or reject them.
     * @see operation `listMyDelegationRequests`
     */
    listDelegationRequests(query?: Query<'listMyDelegationRequests'>, options?: RequestOptions): PagePromise<Result<'listMyDelegationRequests'>>;
    /**
     * Accept a request: grant the delegation
     *
     * For the signed-in citizen: accepts a pending request and grants the delegation with the scope asked for. Emits `delegation_request.accepted` to the organisation. A request whose scope includes `withdraw` (desisting from or renouncing applications on the citizen's behalf, which the law lets a representative do only with express consent) is accepted only with `{"confirm_withdraw": true}` in the body, the citizen's separate confirmation of that capacity; without it the answer is 422 `unprocessable` pointing at `/confirm_withdraw`, and nothing is granted. Other requests need no body. Refused with 403 `organization_not_practising` when the organisation is registered as a non-practising professional, who may not represent anyone.
     * @see operation `acceptMyDelegationRequest`
     */
    acceptDelegationRequest(id: string, body?: Body<'acceptMyDelegationRequest'>, options?: RequestOptions): Promise<Result<'acceptMyDelegationRequest'>>;
    /**
     * Reject a request
     *
     * For the signed-in citizen: turns down a pending request; no delegation is created. Emits `delegation_request.rejected` to the organisation.
     * @see operation `rejectMyDelegationRequest`
     */
    rejectDelegationRequest(id: string, options?: RequestOptions): Promise<Result<'rejectMyDelegationRequest'>>;
    /**
     * Delegations I have granted
     *
     * For the signed-in citizen: every delegation they have granted, active or ended, with the organisation and scope, so they can review or revoke it.
     * @see operation `listMyDelegations`
     */
    listDelegations(query?: Query<'listMyDelegations'>, options?: RequestOptions): PagePromise<Result<'listMyDelegations'>>;
    /**
     * Revoke a delegation
     *
     * Takes effect on the organisation's very next request: consent tokens minted before stop working at once.
     * @see operation `revokeMyDelegation`
     */
    revokeDelegation(id: string, options?: RequestOptions): Promise<Result<'revokeMyDelegation'>>;
    /**
     * Procedures filed or drafted in my name
     *
     * By any representative, oldest first. A procedure stays in the list after its delegation is revoked or ends: it is the citizen's history.
     * @see operation `listMyProcedures`
     */
    listProcedures(query?: Query<'listMyProcedures'>, options?: RequestOptions): PagePromise<Result<'listMyProcedures'>>;
    /**
     * One of my procedures: timeline, documents, requirement, resolution and legal dates
     *
     * Every date is a Europe/Madrid legal day computed by the same deadline code as the firms' `Procedure.deadlines`.
     * @see operation `retrieveMyProcedure`
     */
    retrieveProcedure(id: string, options?: RequestOptions): Promise<Result<'retrieveMyProcedure'>>;
    /**
     * Download a document of one of my procedures
     *
     * The exact bytes stored. The download is recorded in the citizen's own access log (`actor: citizen`).
     * @see operation `downloadMyDocument`
     */
    downloadDocument(id: string, documentId: string, options?: RequestOptions): Promise<Response>;
    /**
     * The filing receipt of one of my procedures, as PDF
     *
     * The same justificante the representative gets; the download is recorded in the citizen's access log.
     * @see operation `retrieveMyProcedureReceipt`
     */
    retrieveProcedureReceipt(id: string, options?: RequestOptions): Promise<Response>;
    /**
     * The timeline of one of my procedures
     *
     * For the signed-in citizen: the full history of one of their procedures, as the organisation sees it.
     * @see operation `listMyProcedureTimeline`
     */
    listProcedureTimeline(id: string, options?: RequestOptions): Promise<Result<'listMyProcedureTimeline'>>;
    /**
     * Every access made on my behalf
     *
     * Append-only: who (organisation and member, or the citizen themself for their own downloads) did what, when, under which delegation. Newest first. Filter by delegation and by a period of Europe/Madrid days (`from` and `to`, both included).
     * @see operation `listMyAccessLog`
     */
    listAccessLog(query?: Query<'listMyAccessLog'>, options?: RequestOptions): PagePromise<Result<'listMyAccessLog'>>;
    /**
     * Export a page of my access log as CSV or PDF
     *
     * Takes the same filter and window (`delegation_id`, `from`, `to`, `cursor`, `limit`) as `GET /v1/me/access-log` and lists exactly the entries that list answers, in the same order.
     * @see operation `exportMyAccessLog`
     */
    exportAccessLog(query: Query<'exportMyAccessLog'>, options?: RequestOptions): Promise<Response>;
    /**
     * Avisos sent to me
     *
     * For the signed-in citizen: every aviso Puente queued for them (email or SMS), newest first, with each delivery attempt and its outcome.
     * @see operation `listMyAvisos`
     */
    listAvisos(query?: Query<'listMyAvisos'>, options?: RequestOptions): PagePromise<Result<'listMyAvisos'>>;
    /**
     * My aviso settings
     *
     * Contacts (confirmed, and any waiting for their code), channels, language and the kinds of aviso wanted.
     * @see operation `getMyAvisoSettings`
     */
    getAvisoSettings(options?: RequestOptions): Promise<Result<'getMyAvisoSettings'>>;
    /**
     * Choose channels, language and kinds
     *
     * Replaces the channels, language and kinds of aviso wanted. A kind left out is not sent again, also if already queued.
     * @see operation `updateMyAvisoSettings`
     */
    updateAvisoSettings(body: Body<'updateMyAvisoSettings'>, options?: RequestOptions): Promise<Result<'updateMyAvisoSettings'>>;
    /**
     * Set my email or phone (sends a code)
     *
     * Sends a six-digit code to the address or number; it becomes the citizen’s contact once the code is confirmed (15 minutes, 5 tries). At most 5 codes an hour.
     * @see operation `startMyContactConfirmation`
     */
    startContactConfirmation(channel: string, body: Body<'startMyContactConfirmation'>, options?: RequestOptions): Promise<Result<'startMyContactConfirmation'>>;
    /**
     * Remove my email or phone
     *
     * Forgets the confirmed contact and any code waiting on that channel; no aviso goes there again.
     * @see operation `removeMyContact`
     */
    removeContact(channel: string, options?: RequestOptions): Promise<Result<'removeMyContact'>>;
    /**
     * Confirm my email or phone with its code
     *
     * Checks the code sent to the contact waiting for it; right, that contact receives the avisos from now on. Each wrong code counts: the fifth ends it.
     * @see operation `confirmMyContact`
     */
    confirmContact(channel: string, body: Body<'confirmMyContact'>, options?: RequestOptions): Promise<Result<'confirmMyContact'>>;
  };
  admin: {
    /**
     * Create or replace a year's calendar and its national days
     *
     * A year exists for deadlines only once it has its national days: this sets them, with the year's source, grade and `provisional` flag (false once the BOE resolution is out). Recorded with the reason; the stored dates of dependent procedures are recomputed and each organisation concerned gets a `calendar.holidays_changed` event.
     * @see operation `adminReplaceCalendarYear`
     */
    replaceCalendarYear(year: string, body: Body<'adminReplaceCalendarYear'>, options?: RequestOptions): Promise<Result<'adminReplaceCalendarYear'>>;
    /**
     * Replace the days of a year for a community
     *
     * Every day of that year for that place is replaced by the list sent (an empty list removes them). Recorded with the reason and what was there before; dependent procedures recomputed.
     * @see operation `adminReplaceRegionHolidays`
     */
    replaceRegionHolidays(year: string, region: string, body: Body<'adminReplaceRegionHolidays'>, options?: RequestOptions): Promise<Result<'adminReplaceRegionHolidays'>>;
    /**
     * Add days of a year for a community
     *
     * Adds the days sent; a date that already has a day there answers 409 (replace the set instead).
     * @see operation `adminAddRegionHolidays`
     */
    addRegionHolidays(year: string, region: string, body: Body<'adminAddRegionHolidays'>, options?: RequestOptions): Promise<Result<'adminAddRegionHolidays'>>;
    /**
     * Replace the days of a year for an island or territory
     *
     * Every day of that year for that place is replaced by the list sent (an empty list removes them). Recorded with the reason and what was there before; dependent procedures recomputed.
     * @see operation `adminReplaceAreaHolidays`
     */
    replaceAreaHolidays(year: string, area: string, body: Body<'adminReplaceAreaHolidays'>, options?: RequestOptions): Promise<Result<'adminReplaceAreaHolidays'>>;
    /**
     * Add days of a year for an island or territory
     *
     * Adds the days sent; a date that already has a day there answers 409 (replace the set instead).
     * @see operation `adminAddAreaHolidays`
     */
    addAreaHolidays(year: string, area: string, body: Body<'adminAddAreaHolidays'>, options?: RequestOptions): Promise<Result<'adminAddAreaHolidays'>>;
    /**
     * Replace the days of a year for a municipality
     *
     * Every day of that year for that place is replaced by the list sent (an empty list removes them). Recorded with the reason and what was there before; dependent procedures recomputed.
     * @see operation `adminReplaceMunicipalityHolidays`
     */
    replaceMunicipalityHolidays(year: string, municipality: string, body: Body<'adminReplaceMunicipalityHolidays'>, options?: RequestOptions): Promise<Result<'adminReplaceMunicipalityHolidays'>>;
    /**
     * Add days of a year for a municipality
     *
     * Adds the days sent; a date that already has a day there answers 409 (replace the set instead).
     * @see operation `adminAddMunicipalityHolidays`
     */
    addMunicipalityHolidays(year: string, municipality: string, body: Body<'adminAddMunicipalityHolidays'>, options?: RequestOptions): Promise<Result<'adminAddMunicipalityHolidays'>>;
    /**
     * Every change made to the calendar, newest first
     *
     * The record of every calendar change: who made it, why, the days before and after, and how many procedures had their stored dates recomputed. Cursor-paginated.
     * @see operation `adminListCalendarChanges`
     */
    listCalendarChanges(query?: Query<'adminListCalendarChanges'>, options?: RequestOptions): PagePromise<Result<'adminListCalendarChanges'>>;
    /**
     * Retrieve a calendar change
     *
     * One recorded calendar change with its reason, the days before and after, the calendar version it produced and the number of procedures recomputed.
     * @see operation `adminRetrieveCalendarChange`
     */
    retrieveCalendarChange(id: string, options?: RequestOptions): Promise<Result<'adminRetrieveCalendarChange'>>;
    /**
     * List organisations (platform administration)
     *
     * Platform administration: every registered organisation with its verification and suspension state, cursor-paginated.
     * @see operation `adminListOrganizations`
     */
    listOrganizations(query?: Query<'adminListOrganizations'>, options?: RequestOptions): PagePromise<Result<'adminListOrganizations'>>;
    /**
     * Verify an organisation
     *
     * Records who checked which evidence, and when. Live keys become available. An organisation registered as non-practising (`professional_standing.practising: false`) cannot be verified: 422 `unprocessable` pointing at that field.
     * @see operation `adminVerifyOrganization`
     */
    verifyOrganization(id: string, body: Body<'adminVerifyOrganization'>, options?: RequestOptions): Promise<Result<'adminVerifyOrganization'>>;
    /**
     * Suspend an organisation
     *
     * Every key of the organisation answers 403 `organization_suspended` from the next request on, and its delegations are suspended. Its pending delegation requests are cancelled with it (`ended_by: system`), each announced as `delegation_request.cancelled`, so no citizen is left asked to grant it a delegation.
     * @see operation `adminSuspendOrganization`
     */
    suspendOrganization(id: string, body: Body<'adminSuspendOrganization'>, options?: RequestOptions): Promise<Result<'adminSuspendOrganization'>>;
    /**
     * Reinstate a suspended organisation
     *
     * Keys work again. Suspended delegations stay suspended: citizens must grant them again.
     * @see operation `adminReinstateOrganization`
     */
    reinstateOrganization(id: string, options?: RequestOptions): Promise<Result<'adminReinstateOrganization'>>;
    /**
     * Rotate the consent-token signing key
     *
     * New tokens are signed with a new Ed25519 key at once (other instances within a minute). The previous key stays published in the JWKS, so tokens already issued still verify.
     * @see operation `adminRotateSigningKey`
     */
    rotateSigningKey(options?: RequestOptions): Promise<Result<'adminRotateSigningKey'>>;
    /**
     * Issue a key for an organisation's owner who lost every key
     *
     * Platform administration: keys are otherwise issued only with a key, so an owner who revoked or lost all of theirs cannot get back in. After checking the owner's identity, the administrator issues a key acting as the owner; `verified_by` and `note` are kept on the key, which the organisation sees in its list (`issued_by_platform`). The secret is shown once in the response. A live key needs a verified organisation.
     * @see operation `adminIssueOwnerKey`
     */
    issueOwnerKey(id: string, body: Body<'adminIssueOwnerKey'>, options?: RequestOptions): Promise<Result<'adminIssueOwnerKey'>>;
    /**
     * Issue an agency back-office key
     *
     * Platform administration: issues a back-office key for a managing body (`ak_live_…`). The key sees and acts on the procedures that body decides (`managing_body` on the procedure), in `region` when it is given; a regional body's (`CCAA`) key must name its community. The secret is shown once in the response.
     * @see operation `adminCreateAgencyKey`
     */
    createAgencyKey(body: Body<'adminCreateAgencyKey'>, options?: RequestOptions): Promise<Result<'adminCreateAgencyKey'>>;
    /**
     * List agency back-office keys
     *
     * Platform administration: every back-office key, revoked ones included, oldest first, cursor-paginated.
     * @see operation `adminListAgencyKeys`
     */
    listAgencyKeys(query?: Query<'adminListAgencyKeys'>, options?: RequestOptions): PagePromise<Result<'adminListAgencyKeys'>>;
    /**
     * Revoke an agency back-office key
     *
     * Takes effect on the very next request, on every instance: the key answers 401 from then on. Revoking twice is harmless. The acts the key made keep naming it in the procedures' timelines.
     * @see operation `adminRevokeAgencyKey`
     */
    revokeAgencyKey(id: string, options?: RequestOptions): Promise<Result<'adminRevokeAgencyKey'>>;
  };
}
