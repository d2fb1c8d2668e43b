import { expect } from 'vitest';

import type { TestApp } from './app';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

export { dni, entityNif, registrationBody } from './people';
import { dni, registrationBody } from './people';

export interface RegisteredOrg {
  id: string;
  ownerId: string;
  testKey: string;
  /** Set once the organisation has been verified and a live key created. */
  liveKey?: string;
}

export function auth(key: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${key}`, ...extra };
}

export async function registerOrg(t: TestApp, overrides: Record<string, unknown> = {}): Promise<RegisteredOrg> {
  const body = await expectJson<{ organization: { id: string }; owner: { id: string }; test_key: { secret: string } }>(
    await t.request('/v1/organizations', { method: 'POST', json: registrationBody(overrides) }),
    201,
  );
  return { id: body.organization.id, ownerId: body.owner.id, testKey: body.test_key.secret };
}

/** Registers, verifies (as the platform admin) and creates a live key. Needs an app with ADMIN_TOKEN. */
export async function registerVerifiedOrg(
  t: TestApp,
  overrides: Record<string, unknown> = {},
): Promise<Required<RegisteredOrg>> {
  const org = await registerOrg(t, overrides);
  const verify = await t.request(`/v1/admin/organizations/${org.id}/verify`, {
    method: 'POST',
    headers: auth(ADMIN_TOKEN),
    json: { verified_by: 'ops@puente.test', note: 'Colegiación comprobada.' },
  });
  expect(verify.status).toBe(200);
  const live = await expectJson<{ secret: string }>(
    await t.request('/v1/api-keys', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { name: 'live', livemode: true },
    }),
    201,
  );
  return { ...org, liveKey: live.secret };
}

/** The JSON body of an answer that must have `status` (the body is shown when it has not). */
export async function expectJson<T = Record<string, any>>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

export async function expectProblem(res: Response, status: number, code: string): Promise<Record<string, any>> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = JSON.parse(text) as Record<string, any>;
  expect(body.code, text).toBe(code);
  return body;
}

export function delegationRequestBody(idNumber: string, overrides: Record<string, unknown> = {}) {
  return {
    citizen: { id_number: idNumber, name: 'Carmen López García', contact: 'carmen@example.es' },
    scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] },
    valid_until: '2027-12-31',
    message: 'Para tramitar su pensión de jubilación.',
    ...overrides,
  };
}

let citizenCounter = 20_000_000 + Math.floor(Math.random() * 1_000_000);
export function newCitizenId(): string {
  return dni(citizenCounter++);
}

export async function createRequest(
  t: TestApp,
  key: string,
  body: Record<string, unknown>,
): Promise<{ id: string; approval_url: string; code: string }> {
  return expectJson<{ id: string; approval_url: string; code: string }>(
    await t.request('/v1/delegation-requests', { method: 'POST', headers: auth(key), json: body }),
    201,
  );
}

/**
 * An agency key issued by the platform admin: the INSS's Madrid office unless told. Needs an app
 * with ADMIN_TOKEN.
 */
export async function issueAgencyKey(
  t: TestApp,
  key: { managing_body?: string; office?: string; region?: string } = {},
): Promise<string> {
  const { secret } = await expectJson<{ secret: string }>(
    await t.request('/v1/admin/agency-keys', {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { managing_body: 'INSS', office: 'Dirección Provincial de Madrid', ...key },
    }),
    201,
  );
  return secret;
}

/** An ID token from the built-in development identity provider. */
export async function citizenToken(t: TestApp, idNumber: string, name = 'Carmen López García'): Promise<string> {
  const { id_token } = await expectJson<{ id_token: string }>(
    await t.request('/dev-idp/token', { method: 'POST', json: { id_number: idNumber, name } }),
    200,
  );
  return id_token;
}

/**
 * A delegation granted to `key`'s organisation: in test mode the sandbox plays the citizen, in
 * live mode the citizen accepts through their own API with a development ID token (confirming
 * the `withdraw` capacity expressly when the scope asks for it).
 */
export async function grantDelegation(
  t: TestApp,
  key: string,
  options: { idNumber?: string; scope?: Record<string, unknown>; validUntil?: string } = {},
): Promise<{ delegationId: string; requestId: string; idNumber: string; citizenToken?: string }> {
  const idNumber = options.idNumber ?? newCitizenId();
  const request = await createRequest(
    t,
    key,
    delegationRequestBody(idNumber, {
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.validUntil ? { valid_until: options.validUntil } : {}),
    }),
  );
  const sandbox = key.startsWith('sk_test_');
  const token = sandbox ? undefined : await citizenToken(t, idNumber);
  const capacities = (options.scope?.capacities ?? []) as string[];
  const confirm = !sandbox && capacities.includes('withdraw') ? { json: { confirm_withdraw: true } } : {};
  const accepted = await expectJson<{ delegation_id: string }>(
    await t.request(`/v1/${sandbox ? 'sandbox' : 'me'}/delegation-requests/${request.id}/accept`, {
      method: 'POST',
      headers: auth(token ?? key),
      ...confirm,
    }),
    200,
  );
  return {
    delegationId: accepted.delegation_id,
    requestId: request.id,
    idNumber,
    ...(token ? { citizenToken: token } : {}),
  };
}

export async function mintToken(
  t: TestApp,
  key: string,
  delegationId: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const { token } = await expectJson<{ token: string }>(
    await t.request(`/v1/delegations/${delegationId}/consent-tokens`, {
      method: 'POST',
      headers: auth(key),
      json: body,
    }),
    201,
  );
  return token;
}
