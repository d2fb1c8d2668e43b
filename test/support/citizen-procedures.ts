import { expect } from 'vitest';

import type { TestApp } from './app';
import { auth, expectJson, grantDelegation, mintToken, registerOrg } from './fixtures';
import { consentHeaders, createDraft, FORMS, submitJub, upload } from './procedures';

/** A firm with a sandbox delegation from one citizen, able to file JUB procedures for them. */
export interface CitizenCase {
  orgKey: string;
  orgName: string;
  delegationId: string;
  idNumber: string;
  /** A fresh consent token (they live minutes; the clock jumps between steps). */
  consent(): Promise<Record<string, string>>;
  token(): Promise<string>;
}

export async function citizenCase(
  t: TestApp,
  options: { idNumber?: string; orgName?: string; procedureTypes?: string[] } = {},
): Promise<CitizenCase> {
  const orgName = options.orgName ?? `Gestoría Prueba ${Math.random().toString(36).slice(2, 8)} S.L.`;
  const org = await registerOrg(t, { legal_name: orgName });
  const granted = await grantDelegation(t, org.testKey, {
    ...(options.idNumber ? { idNumber: options.idNumber } : {}),
    scope: {
      procedure_types: options.procedureTypes ?? ['JUB'],
      subjects: [],
      capacities: ['consult', 'file', 'respond'],
    },
  });
  const token = () => mintToken(t, org.testKey, granted.delegationId, { lifetime_seconds: 3600 });
  return {
    orgKey: org.testKey,
    orgName,
    delegationId: granted.delegationId,
    idNumber: granted.idNumber,
    token,
    consent: async () => consentHeaders(org.testKey, await token()),
  };
}

/** A JUB application filed now, with its two documents. */
export async function fileJub(t: TestApp, c: CitizenCase): Promise<Record<string, any>> {
  const token = await c.token();
  const draft = await createDraft(t, c.orgKey, token, 'JUB', FORMS.JUB);
  return submitJub(t, c.orgKey, token, draft.id);
}

export async function advance(
  t: TestApp,
  c: CitizenCase,
  id: string,
  body: Record<string, unknown>,
): Promise<Record<string, any>> {
  return expectJson(
    await t.request(`/v1/sandbox/procedures/${id}/advance`, {
      method: 'POST',
      headers: auth(c.orgKey),
      json: body,
    }),
    200,
  );
}

/** The firm uploads what a requirement asked for and answers it. */
export async function answerRequirement(
  t: TestApp,
  c: CitizenCase,
  id: string,
  requirementId: string,
  kind: string,
): Promise<Record<string, any>> {
  const token = await c.token();
  expect((await upload(t, c.orgKey, token, id, kind)).status).toBe(201);
  return expectJson(
    await t.request(`/v1/procedures/${id}/requirements/${requirementId}/response`, {
      method: 'POST',
      headers: consentHeaders(c.orgKey, token),
      json: { message: 'Adjunto el certificado.' },
    }),
    200,
  );
}
