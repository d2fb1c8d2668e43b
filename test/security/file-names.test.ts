import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { safeFilename } from '../../api/modules/documents/files';
import { createTestApp, type TestApp } from '../support/app';
import { expectJson, grantDelegation, mintToken, type RegisteredOrg, registerOrg } from '../support/fixtures';
import { consentHeaders, createDraft, FORMS, PDF_BYTES, upload } from '../support/procedures';

/**
 * An uploaded file's name is stored and sent back as given, less what could mislead or break:
 * paths, control and bidirectional characters. A long name is cut on a character, never inside
 * a surrogate pair (which answered `\ud83d` and stored U+FFFD in its place).
 */
describe('safeFilename', () => {
  it('cuts a long name by characters, keeping a pair whole', () => {
    const name = safeFilename('a'.repeat(149) + '😀.pdf', 'application/pdf');
    expect(name).toBe('a'.repeat(149) + '😀');
    expect(name.isWellFormed()).toBe(true);
    expect(Array.from(safeFilename('😀'.repeat(200), 'application/pdf'))).toHaveLength(150);
  });

  it('drops bidirectional controls, which make a name read as another', () => {
    expect(safeFilename('dni\u202Efdp.exe', 'application/pdf')).toBe('dnifdp.exe');
    for (const control of [
      '\u200E',
      '\u200F',
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
    ])
      expect(safeFilename(`in${control}forme.pdf`, 'application/pdf')).toBe('informe.pdf');
    expect(safeFilename('\u202E\u2066', 'image/png')).toBe('documento.png');
  });
});

let t: TestApp;
let org: RegisteredOrg;
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  org = await registerOrg(t);
  const granted = await grantDelegation(t, org.testKey);
  token = await mintToken(t, org.testKey, granted.delegationId, { lifetime_seconds: 3600 });
});
afterAll(() => t.close());

describe('uploaded file names', () => {
  it('answer the name as it is stored', async () => {
    const draft = await createDraft(t, org.testKey, token, 'JUB', FORMS.JUB);
    for (const [sent, kept] of [
      ['a'.repeat(149) + '😀.pdf', 'a'.repeat(149) + '😀'],
      ['dni\u202Efdp.exe', 'dnifdp.exe'],
    ]) {
      const doc = await expectJson(
        await upload(t, org.testKey, token, draft.id, 'DNI_NIE', PDF_BYTES, { name: sent }),
        201,
      );
      expect(doc.filename).toBe(kept);
      const list = await expectJson(
        await t.request(`/v1/procedures/${draft.id}/documents`, { headers: consentHeaders(org.testKey, token) }),
        200,
      );
      expect(list.data.find((d: { id: string }) => d.id === doc.id).filename).toBe(kept);
      const [row] = await t.sql<{ filename: string }[]>`select filename from documents where id = ${doc.id}`;
      expect(row!.filename).toBe(kept);
    }
  });
});
