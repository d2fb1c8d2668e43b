import { expect } from 'vitest';

import type { TestApp } from './app';
import { auth } from './fixtures';

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
  options: { type?: string; name?: string } = {},
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
    headers: consentHeaders(key, token),
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
    const res = await upload(t, key, token, procedureId, kind);
    expect(res.status, await res.clone().text()).toBe(201);
  }
}

export async function createDraft(
  t: TestApp,
  key: string,
  token: string,
  type: keyof typeof FORMS | string,
  form: unknown,
): Promise<Record<string, any>> {
  const res = await t.request('/v1/procedures', {
    method: 'POST',
    headers: consentHeaders(key, token),
    json: { type, form },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Record<string, any>;
}

/** Opens (as the representative) the latest notification of a kind; answers the opened notification. */
export async function openNotification(
  t: TestApp,
  key: string,
  token: string,
  procedureId: string,
  kind: string,
): Promise<Record<string, any>> {
  const list = await t.request(`/v1/procedures/${procedureId}/notifications`, { headers: consentHeaders(key, token) });
  expect(list.status, await list.clone().text()).toBe(200);
  const notification = ((await list.json()) as { data: Array<{ id: string; kind: string }> }).data
    .filter((n) => n.kind === kind)
    .at(-1);
  expect(notification, `a ${kind} notification`).toBeDefined();
  const res = await t.request(`/v1/procedures/${procedureId}/notifications/${notification!.id}/access`, {
    method: 'POST',
    headers: consentHeaders(key, token),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Record<string, any>;
}
