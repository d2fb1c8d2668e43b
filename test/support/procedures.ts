import { expect } from 'vitest';

import type { TestApp } from './app';
import { auth, expectJson, grantDelegation, mintToken } from './fixtures';

export { APPLICANT, FORMS, PDF_BYTES, PNG_BYTES } from './forms';
import { FORMS, PDF_BYTES } from './forms';

export function consentHeaders(key: string, token: string, extra: Record<string, string> = {}) {
  return auth(key, { 'puente-consent': token, ...extra });
}

export async function upload(
  t: TestApp,
  key: string,
  token: string,
  procedureId: string,
  kind: string,
  bytes: Uint8Array = PDF_BYTES,
  options: { type?: string; name?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const form = new FormData();
  form.set('kind', kind);
  form.set(
    'file',
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: options.type ?? 'application/pdf' }),
    options.name ?? `${kind.toLowerCase()}.pdf`,
  );
  return t.request(`/v1/procedures/${procedureId}/documents`, {
    method: 'POST',
    headers: consentHeaders(key, token, options.headers),
    body: form,
  });
}

export async function uploadAll(
  t: TestApp,
  key: string,
  token: string,
  procedureId: string,
  kinds: string[],
): Promise<void> {
  for (const kind of kinds) {
    await expectJson(await upload(t, key, token, procedureId, kind), 201);
  }
}

export async function createDraft(
  t: TestApp,
  key: string,
  token: string,
  type: keyof typeof FORMS | string,
  form: unknown,
): Promise<Record<string, any>> {
  return expectJson(
    await t.request('/v1/procedures', {
      method: 'POST',
      headers: consentHeaders(key, token),
      json: { type, form },
    }),
    201,
  );
}

/** Opens (as the representative) the latest notification of a kind; answers the opened notification. */
export async function openNotification(
  t: TestApp,
  key: string,
  token: string,
  procedureId: string,
  kind: string,
): Promise<Record<string, any>> {
  const list = await expectJson<{ data: Array<{ id: string; kind: string }> }>(
    await t.request(`/v1/procedures/${procedureId}/notifications`, { headers: consentHeaders(key, token) }),
    200,
  );
  const notification = list.data.filter((n) => n.kind === kind).at(-1);
  expect(notification, `a ${kind} notification`).toBeDefined();
  return expectJson(
    await t.request(`/v1/procedures/${procedureId}/notifications/${notification!.id}/access`, {
      method: 'POST',
      headers: consentHeaders(key, token),
    }),
    200,
  );
}

/**
 * A client's delegation to `key`'s organisation (accepted in the sandbox for a test key, by the
 * citizen for a live one), a consent token (for an hour unless told), and a JUB draft made with it.
 */
export async function delegatedDraft(
  t: TestApp,
  key: string,
  options: { procedure_types?: string[]; capacities?: string[]; tokenLifetimeSeconds?: number } = {},
): Promise<Awaited<ReturnType<typeof grantDelegation>> & { token: string; draft: Record<string, any> }> {
  const granted = await grantDelegation(t, key, {
    scope: {
      procedure_types: options.procedure_types ?? ['JUB'],
      subjects: [],
      capacities: options.capacities ?? ['consult', 'file'],
    },
  });
  const token = await mintToken(t, key, granted.delegationId, {
    lifetime_seconds: options.tokenLifetimeSeconds ?? 3600,
  });
  const draft = await createDraft(t, key, token, 'JUB', FORMS.JUB);
  return { ...granted, token, draft };
}

/** Uploads the two documents a JUB needs and submits the draft; answers the filed procedure. */
export async function submitJub(t: TestApp, key: string, token: string, id: string): Promise<Record<string, any>> {
  await uploadAll(t, key, token, id, ['DNI_NIE', 'IBAN_CERT']);
  return expectJson(
    await t.request(`/v1/procedures/${id}/submit`, { method: 'POST', headers: consentHeaders(key, token) }),
    200,
  );
}
