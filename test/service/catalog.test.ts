import { describe, expect, it } from 'vitest';

import { fileTestApp } from '../support/app';

const t = await fileTestApp();

describe('procedure catalogue', () => {
  it('lists the 17 procedure types in catalogue order', async () => {
    const res = await t.request('/v1/procedure-types');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<Record<string, any>>; has_more: boolean };
    expect(body.data.map((p) => p.code).join(' ')).toBe(
      'JUB IP IT_PD NCM CCL CUME REM VIU ORF FFA ADF IMV CAPI AHC TSE PNC RP',
    );
    expect(body.has_more).toBe(false);
  });

  it('carries the legal term, silence, confidence and documents of each type', async () => {
    const imv = (await (await t.request('/v1/procedure-types/IMV')).json()) as Record<string, any>;
    expect(imv.max_resolution_term).toEqual({ value: 6, unit: 'months' });
    expect(imv.subject).toBe('minimum_income');
    expect(imv.silence_effect).toBe('negative');
    const ncm = (await (await t.request('/v1/procedure-types/ncm')).json()) as Record<string, any>;
    expect(ncm.confidence).toBe('U');
    expect(ncm.attachment_cap_bytes).toBe(4 * 1024 * 1024);
    expect(ncm.required_documents).toContainEqual({ any_of: ['LIBRO_FAMILIA', 'BIRTH_CERT'] });
    const ip = (await (await t.request('/v1/procedure-types/IP')).json()) as Record<string, any>;
    expect(ip.max_resolution_term).toEqual({ value: 135, unit: 'business_days' });
  });

  it("answers a type's form as the JSON Schema media type it documents", async () => {
    const res = await t.request('/v1/procedure-types/JUB/form');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/schema+json');
    expect(((await res.json()) as Record<string, unknown>).$schema).toMatch(/json-schema/);
  });

  it('answers an unknown code with a 404 problem', async () => {
    const res = await t.request('/v1/procedure-types/XYZ');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('not_found');
  });
});
