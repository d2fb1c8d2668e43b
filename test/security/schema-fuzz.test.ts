import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateOpenApiDocument } from '../../api/scripts/openapi-document';
import { createTestApp, type TestApp } from '../support/app';
import { ADMIN_TOKEN, auth, grantDelegation, mintToken, registerOrg } from '../support/fixtures';

/**
 * Property-based fuzzing driven by the committed contract: for every operation, requests built
 * from its own schemas (valid) and from arbitrary values (invalid) must never produce a 5xx, and
 * every answer must be a status the document declares, with a body matching its schema.
 */
type Schema = Record<string, any>;
const doc = generateOpenApiDocument() as Record<string, any>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'doc', components: doc.components });
const fix = (schema: unknown) => JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/'));
const deref = (s: Schema): Schema => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);

function arbitraryFor(input: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(input);
  if (!s || depth > 4) return fc.constant(null);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.anyOf || s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf).map((x: Schema) => arbitraryFor(x, depth + 1)));
  switch (Array.isArray(s.type) ? s.type[0] : s.type) {
    case 'string':
      return s.format === 'date'
        ? fc.constantFrom('2026-03-02', '2026-02-30', '1999-01-01')
        : fc.string({ maxLength: 24 });
    case 'integer':
      // Small numbers, but always within a range that starts above 500 (years).
      return fc.integer({
        min: s.minimum ?? -5,
        max: Math.min(s.maximum ?? 500, Math.max(500, (s.minimum ?? 0) + 500)),
      });
    case 'number':
      return fc.double({ min: -10, max: 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryFor(s.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object': {
      const props = Object.fromEntries(
        Object.entries<Schema>(s.properties ?? {}).map(([k, v]) => [k, arbitraryFor(v, depth + 1)]),
      );
      return fc.record(props, { requiredKeys: (s.required ?? []).filter((k: string) => k in props) });
    }
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

const operations = Object.entries<Record<string, Schema>>(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);

let t: TestApp;
let headers: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
  const org = await registerOrg(t);
  const granted = await grantDelegation(t, org.testKey);
  const token = await mintToken(t, org.testKey, granted.delegationId, { lifetime_seconds: 3600 });
  headers = auth(org.testKey, { 'puente-consent': token });
});
afterAll(() => t.close());

describe('schema fuzzing', () => {
  it.each(operations)('$method $path: never a 5xx, always a documented answer', async ({ method, path, op }) => {
    const params: Schema[] = op.parameters ?? [];
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const request = fc.record({
      path: fc.record(
        Object.fromEntries(
          params
            .filter((p) => p.in === 'path')
            .map((p) => [p.name, fc.oneof(arbitraryFor(p.schema), fc.constant('prc_x'))]),
        ),
      ),
      query: fc.record(
        Object.fromEntries(
          params.filter((p) => p.in === 'query').map((p) => [p.name, fc.oneof(arbitraryFor(p.schema), fc.string())]),
        ),
        { requiredKeys: [] },
      ),
      body: bodySchema
        ? fc.oneof(
            { weight: 3, arbitrary: arbitraryFor(bodySchema) },
            { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
          )
        : fc.constant(undefined),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ path: pathParams, query, body }) => {
        const url = new URL(
          `http://puente.test${path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(String((pathParams as Record<string, unknown>)[n] ?? 'x')))}`,
        );
        for (const [k, v] of Object.entries(query))
          if (v !== undefined && v !== null)
            url.searchParams.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
        const isAdmin = path.startsWith('/v1/admin');
        const res = await t.request(url.pathname + url.search, {
          method,
          headers: isAdmin ? auth(ADMIN_TOKEN) : headers,
          ...(body !== undefined && method !== 'GET' ? { json: body } : {}),
        });
        const text = await res.text();
        expect(res.status, `${method} ${url.pathname}${url.search} → ${text.slice(0, 300)}`).toBeLessThan(500);
        const declared = op.responses[String(res.status)];
        expect(declared, `${method} ${path} answered undeclared ${res.status}: ${text.slice(0, 200)}`).toBeDefined();
        const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
        const schema = declared.content?.[type]?.schema;
        if (schema && type.includes('json')) {
          const validate = ajv.compile(fix(schema));
          expect(
            validate(JSON.parse(text)),
            `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}`,
          ).toBe(true);
        }
      }),
      { numRuns: 12, seed: 20261123 },
    );
  });
});
