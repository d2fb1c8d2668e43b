import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import { expectJson, mintToken, registerOrg } from '../support/fixtures';
import { PDF_BYTES } from '../support/forms';
import { consentHeaders, delegatedDraft, upload } from '../support/procedures';

/**
 * A document's bytes are compressed with lz4 where the server has it (migration 0130): pglz read
 * every stored file whole, and cost PostgreSQL more CPU than anything else in an upload. Whatever
 * the method, the bytes come back exactly as they were sent.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** 100 kB: a PDF's header, text that compresses, and bytes that do not. */
function sampleFile(): Uint8Array {
  const bytes = new Uint8Array(100 * 1024);
  bytes.set(PDF_BYTES);
  const text = new TextEncoder().encode('BT /F1 12 Tf 72 712 Td (Solicitud de prestacion) Tj ET\n'.repeat(600));
  bytes.set(text, PDF_BYTES.length);
  let seed = 7;
  for (let i = PDF_BYTES.length + text.length; i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  return bytes;
}

describe("a document's bytes", () => {
  it('are stored compressed, with lz4 on PostgreSQL and pglz on the embedded database, and read back exact', async () => {
    const org = await registerOrg(t);
    const { token, draft } = await delegatedDraft(t, org.testKey);
    const bytes = sampleFile();
    const doc = await expectJson<{ id: string; storage_key: string }>(
      await upload(t, org.testKey, token, draft.id, 'DNI_NIE', bytes),
      201,
    );
    const [stored] = await t.sql<{ method: string; size: number }[]>`
      select pg_column_compression(b.content) as method, pg_column_size(b.content) as size
      from document_blobs b join documents d on d.storage_key = b.storage_key where d.id = ${doc.id}`;
    expect(stored!.method).toBe(process.env.DATABASE_URL ? 'lz4' : 'pglz');
    expect(stored!.size).toBeLessThan(bytes.length);

    const content = await t.request(`/v1/procedures/${draft.id}/documents/${doc.id}/content`, {
      headers: consentHeaders(org.testKey, token),
    });
    expect(content.status).toBe(200);
    expect(Buffer.from(await content.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe("a procedure's documents", () => {
  it('are at most 50, also when uploads race: the ones past it are refused, naming the file, and store nothing', async () => {
    const org = await registerOrg(t);
    const { token, draft, delegationId } = await delegatedDraft(t, org.testKey);
    for (let i = 0; i < 48; i++) expect((await upload(t, org.testKey, token, draft.id, 'OTHER')).status).toBe(201);
    // Four at once, each with its own token (one request per token and connection, as four clients would).
    const tokens = await Promise.all([1, 2, 3, 4].map(() => mintToken(t, org.testKey, delegationId)));
    const raced = await Promise.all(tokens.map((own) => upload(t, org.testKey, own, draft.id, 'OTHER')));
    expect(raced.map((r) => r.status).sort()).toEqual([201, 201, 422, 422]);
    const refused = (await raced.find((r) => r.status === 422)!.json()) as {
      code: string;
      errors: Array<{ pointer: string }>;
    };
    expect(refused.code).toBe('unprocessable');
    expect(refused.errors.map((e) => e.pointer)).toEqual(['/file']);
    const listed = await expectJson<{ data: unknown[]; has_more: boolean }>(
      await t.request(`/v1/procedures/${draft.id}/documents`, { headers: consentHeaders(org.testKey, token) }),
      200,
    );
    expect(listed.data).toHaveLength(50);
    expect(listed.has_more).toBe(false);
    const [stored] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from documents where procedure_id = ${draft.id}`;
    expect(stored!.n).toBe(50);
  });
});
