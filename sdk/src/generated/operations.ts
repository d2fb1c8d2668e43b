// Generated from openapi/openapi.json by `npm run sdk:generate`. Do not edit.
export const OPERATIONS = {
  "acceptMyDelegationRequest": {
    "method": "POST",
    "path": "/v1/me/delegation-requests/{id}/accept"
  },
  "adminCreateAgencyKey": {
    "method": "POST",
    "path": "/v1/admin/agency-keys"
  },
  "adminListOrganizations": {
    "method": "GET",
    "path": "/v1/admin/organizations"
  },
  "adminReinstateOrganization": {
    "method": "POST",
    "path": "/v1/admin/organizations/{id}/reinstate"
  },
  "adminSuspendOrganization": {
    "method": "POST",
    "path": "/v1/admin/organizations/{id}/suspend"
  },
  "adminVerifyOrganization": {
    "method": "POST",
    "path": "/v1/admin/organizations/{id}/verify"
  },
  "agencyAdmitProcedure": {
    "method": "POST",
    "path": "/v1/agency/procedures/{id}/admit"
  },
  "agencyIssueRequirement": {
    "method": "POST",
    "path": "/v1/agency/procedures/{id}/requirements"
  },
  "agencyListProcedures": {
    "method": "GET",
    "path": "/v1/agency/procedures"
  },
  "agencyResolveProcedure": {
    "method": "POST",
    "path": "/v1/agency/procedures/{id}/resolve"
  },
  "agencyRetrieveProcedure": {
    "method": "GET",
    "path": "/v1/agency/procedures/{id}"
  },
  "cancelDelegationRequest": {
    "method": "POST",
    "path": "/v1/delegation-requests/{id}/cancel"
  },
  "checkConsentToken": {
    "method": "GET",
    "path": "/v1/consent-tokens/current"
  },
  "computeDeadline": {
    "method": "GET",
    "path": "/v1/calendar/deadline"
  },
  "createApiKey": {
    "method": "POST",
    "path": "/v1/api-keys"
  },
  "createConsentToken": {
    "method": "POST",
    "path": "/v1/delegations/{id}/consent-tokens"
  },
  "createDelegationRequest": {
    "method": "POST",
    "path": "/v1/delegation-requests"
  },
  "createMember": {
    "method": "POST",
    "path": "/v1/members"
  },
  "createProcedure": {
    "method": "POST",
    "path": "/v1/procedures"
  },
  "createWebhookEndpoint": {
    "method": "POST",
    "path": "/v1/webhook-endpoints"
  },
  "deleteMember": {
    "method": "DELETE",
    "path": "/v1/members/{id}"
  },
  "deleteWebhookEndpoint": {
    "method": "DELETE",
    "path": "/v1/webhook-endpoints/{id}"
  },
  "downloadDocument": {
    "method": "GET",
    "path": "/v1/procedures/{id}/documents/{document_id}/content"
  },
  "getHealth": {
    "method": "GET",
    "path": "/health"
  },
  "getJwks": {
    "method": "GET",
    "path": "/.well-known/jwks.json"
  },
  "introspectConsentToken": {
    "method": "POST",
    "path": "/v1/consent-tokens/introspect"
  },
  "listApiKeys": {
    "method": "GET",
    "path": "/v1/api-keys"
  },
  "listDelegationRequests": {
    "method": "GET",
    "path": "/v1/delegation-requests"
  },
  "listDelegations": {
    "method": "GET",
    "path": "/v1/delegations"
  },
  "listDocuments": {
    "method": "GET",
    "path": "/v1/procedures/{id}/documents"
  },
  "listEvents": {
    "method": "GET",
    "path": "/v1/events"
  },
  "listMembers": {
    "method": "GET",
    "path": "/v1/members"
  },
  "listMyAccessLog": {
    "method": "GET",
    "path": "/v1/me/access-log"
  },
  "listMyDelegationRequests": {
    "method": "GET",
    "path": "/v1/me/delegation-requests"
  },
  "listMyDelegations": {
    "method": "GET",
    "path": "/v1/me/delegations"
  },
  "listMyProcedures": {
    "method": "GET",
    "path": "/v1/me/procedures"
  },
  "listMyProcedureTimeline": {
    "method": "GET",
    "path": "/v1/me/procedures/{id}/timeline"
  },
  "listProcedures": {
    "method": "GET",
    "path": "/v1/procedures"
  },
  "listProcedureTimeline": {
    "method": "GET",
    "path": "/v1/procedures/{id}/timeline"
  },
  "listProcedureTypes": {
    "method": "GET",
    "path": "/v1/procedure-types"
  },
  "listWebhookDeliveries": {
    "method": "GET",
    "path": "/v1/webhook-endpoints/{id}/deliveries"
  },
  "listWebhookEndpoints": {
    "method": "GET",
    "path": "/v1/webhook-endpoints"
  },
  "registerOrganization": {
    "method": "POST",
    "path": "/v1/organizations"
  },
  "rejectMyDelegationRequest": {
    "method": "POST",
    "path": "/v1/me/delegation-requests/{id}/reject"
  },
  "renounceDelegation": {
    "method": "POST",
    "path": "/v1/delegations/{id}/renounce"
  },
  "respondToRequirement": {
    "method": "POST",
    "path": "/v1/procedures/{id}/requirements/{requirement_id}/response"
  },
  "retrieveDelegation": {
    "method": "GET",
    "path": "/v1/delegations/{id}"
  },
  "retrieveDelegationRequest": {
    "method": "GET",
    "path": "/v1/delegation-requests/{id}"
  },
  "retrieveEvent": {
    "method": "GET",
    "path": "/v1/events/{id}"
  },
  "retrieveMember": {
    "method": "GET",
    "path": "/v1/members/{id}"
  },
  "retrieveOrganization": {
    "method": "GET",
    "path": "/v1/organization"
  },
  "retrieveProcedure": {
    "method": "GET",
    "path": "/v1/procedures/{id}"
  },
  "retrieveProcedureReceipt": {
    "method": "GET",
    "path": "/v1/procedures/{id}/receipt"
  },
  "retrieveProcedureType": {
    "method": "GET",
    "path": "/v1/procedure-types/{code}"
  },
  "retrieveProcedureTypeForm": {
    "method": "GET",
    "path": "/v1/procedure-types/{code}/form"
  },
  "retrieveWebhookEndpoint": {
    "method": "GET",
    "path": "/v1/webhook-endpoints/{id}"
  },
  "retryWebhookDelivery": {
    "method": "POST",
    "path": "/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry"
  },
  "revokeApiKey": {
    "method": "DELETE",
    "path": "/v1/api-keys/{id}"
  },
  "revokeMyDelegation": {
    "method": "POST",
    "path": "/v1/me/delegations/{id}/revoke"
  },
  "rotateWebhookEndpointSecret": {
    "method": "POST",
    "path": "/v1/webhook-endpoints/{id}/rotate-secret"
  },
  "sandboxAcceptDelegationRequest": {
    "method": "POST",
    "path": "/v1/sandbox/delegation-requests/{id}/accept"
  },
  "sandboxAdvanceProcedure": {
    "method": "POST",
    "path": "/v1/sandbox/procedures/{id}/advance"
  },
  "sandboxRejectDelegationRequest": {
    "method": "POST",
    "path": "/v1/sandbox/delegation-requests/{id}/reject"
  },
  "submitProcedure": {
    "method": "POST",
    "path": "/v1/procedures/{id}/submit"
  },
  "testWebhookEndpoint": {
    "method": "POST",
    "path": "/v1/webhook-endpoints/{id}/test"
  },
  "updateProcedure": {
    "method": "PATCH",
    "path": "/v1/procedures/{id}"
  },
  "updateWebhookEndpoint": {
    "method": "PATCH",
    "path": "/v1/webhook-endpoints/{id}"
  },
  "uploadDocument": {
    "method": "POST",
    "path": "/v1/procedures/{id}/documents"
  },
  "withdrawProcedure": {
    "method": "POST",
    "path": "/v1/procedures/{id}/withdraw"
  }
} as const;

export type OperationId = keyof typeof OPERATIONS;
