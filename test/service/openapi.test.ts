import { readFileSync } from 'node:fs';

import { createConfig, lintFromString } from '@redocly/openapi-core';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

import { EVENT_TYPES } from '../../api/modules/events/emit';
import { generateOpenApiDocument, serialiseDocument } from '../../api/scripts/openapi-document';
import { fileTestApp } from '../support/app';
import { auth, delegationRequestBody, dni, registerOrg } from '../support/fixtures';

const committedText = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
const generated = generateOpenApiDocument() as Record<string, any>;

const t = await fileTestApp({ config: { adminToken: 'admin-token-for-tests' } });

type Operation = {
  operationId?: string;
  parameters?: Array<Record<string, any>>;
  responses?: Record<string, any>;
  security?: unknown[];
  tags?: string[];
  requestBody?: any;
};

function operations(doc: Record<string, any>): Array<[string, string, Operation]> {
  const out: Array<[string, string, Operation]> = [];
  for (const [path, item] of Object.entries<Record<string, Operation>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.push([method, path, op]);
    }
  }
  return out;
}

describe('OpenAPI document', () => {
  it('is committed and current (run `npm run openapi` after changing a route)', () => {
    expect(committedText).toBe(serialiseDocument(generated));
  });

  it('is served at /openapi.json exactly as committed', async () => {
    const res = await t.request('/openapi.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(committedText));
  });

  it('passes a standard OpenAPI linter with no errors', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: committedText, absoluteRef: 'openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors.map((e) => `${e.ruleId}: ${e.message} @ ${e.location[0]?.pointer}`)).toEqual([]);
  });

  it('gives every operation an operationId, a tag, declared security and required path params', () => {
    const ids = new Set<string>();
    for (const [method, path, op] of operations(generated)) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(op.operationId!), `duplicate operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId!);
      expect(op.tags?.length, where).toBe(1);
      expect(Array.isArray(op.security), `${where} declares its security`).toBe(true);
      for (const p of op.parameters ?? []) if (p.in === 'path') expect(p.required, `${where} ${p.name}`).toBe(true);
      expect(
        Object.keys(op.responses ?? {}).some((s) => s.startsWith('2')),
        where,
      ).toBe(true);
      expect(op.responses?.['500'], `${where} documents its 500 problem`).toBeDefined();
    }
  });

  it('declares every event type under webhooks, with a payload schema and an example of that type', () => {
    expect(Object.keys(generated.webhooks).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) {
      const body = generated.webhooks[type].post.requestBody.content['application/json'];
      const schema = generated.components.schemas[body.schema.$ref.split('/').at(-1)];
      expect(schema.properties.type.enum, type).toEqual([type]);
      expect(body.example.type, type).toBe(type);
      expect(Object.keys(schema.properties.data.properties).length, type).toBeGreaterThan(0);
      // Deliveries overtake each other and repeat: each webhook says so where integrators read it.
      const description = generated.webhooks[type].post.description;
      expect(description, type).toContain('in no guaranteed order');
      expect(description, type).toContain('Deduplicate on the event `id`');
      expect(description, type).toContain('`GET /v1/events`');
      // The Standard Webhooks headers each delivery carries, to verify it.
      const headers = generated.webhooks[type].post.parameters
        .map((p: any) => generated.components.parameters[p.$ref.split('/').at(-1)])
        .filter((p: any) => p.in === 'header');
      expect(
        headers.map((p: any) => [p.name, p.required]),
        type,
      ).toEqual([
        ['webhook-id', true],
        ['webhook-timestamp', true],
        ['webhook-signature', true],
      ]);
    }
  });

  it('declares the headers a client sends and reads: Idempotency-Key on writes, If-Match, ETag, rate limits', () => {
    const byId = new Map(operations(generated).map(([method, path, op]) => [op.operationId!, { method, path, op }]));
    const refs = (op: Operation) => (op.parameters ?? []).map((p) => p.$ref).filter(Boolean);
    for (const { method, path, op } of byId.values()) {
      const idempotent = method !== 'get' && Object.keys(op.responses!).includes('422') && op.security!.length > 0;
      const problems = JSON.stringify(op.responses);
      // A read is never stored for replay, so it neither takes the key nor answers its problems.
      if (method === 'get') {
        expect(refs(op), `GET ${path}`).not.toContain('#/components/parameters/IdempotencyKey');
        expect(problems, `GET ${path}`).not.toContain('idempotency_');
      }
      if (problems.includes('idempotency_conflict'))
        expect(refs(op), `${method} ${path}`).toContain('#/components/parameters/IdempotencyKey');
      if (idempotent && problems.includes('rate_limited'))
        expect(Object.keys(op.responses!['429'].headers)).toEqual([
          'Puente-Should-Retry',
          'Retry-After',
          'RateLimit',
          'RateLimit-Policy',
        ]);
    }
    expect(refs(byId.get('createDelegationRequest')!.op)).toContain('#/components/parameters/IdempotencyKey');
    expect(refs(byId.get('updateProcedure')!.op)).toContain('#/components/parameters/IfMatch');
    for (const id of ['retrieveProcedure', 'updateProcedure', 'submitProcedure'])
      expect(Object.keys(byId.get(id)!.op.responses!['200'].headers), id).toContain('ETag');
    expect(generated.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header' });
    // Admin routes have no rate limit, so they do not document one.
    for (const { path, op } of byId.values())
      if (path.startsWith('/v1/admin/')) expect(JSON.stringify(op.responses), path).not.toContain('rate_limited');
  });

  it('sends the response headers it documents', async () => {
    const doc = generated as Record<string, any>;
    const org = await registerOrg(t);
    const res = await t.request('/v1/delegation-requests', {
      method: 'POST',
      headers: { ...auth(org.testKey), 'idempotency-key': 'headers-documented-1' },
      json: delegationRequestBody(dni(71_000_001)),
    });
    expect(res.status).toBe(201);
    const documented = Object.keys(doc.paths['/v1/delegation-requests'].post.responses['201'].headers);
    expect(documented).toEqual(['Request-Id', 'RateLimit', 'RateLimit-Policy', 'Idempotent-Replayed']);
    for (const name of documented.filter((n) => n !== 'Idempotent-Replayed'))
      expect(res.headers.get(name), name).toBeTruthy();
    const replay = await t.request('/v1/delegation-requests', {
      method: 'POST',
      headers: { ...auth(org.testKey), 'idempotency-key': 'headers-documented-1' },
      json: delegationRequestBody(dni(71_000_001)),
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    // A problem says whether to send it again, as documented.
    const refused = await t.request('/v1/delegation-requests', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { citizen: {} },
    });
    expect(refused.status).toBe(400);
    expect(Object.keys(doc.paths['/v1/delegation-requests'].post.responses['400'].headers)).toEqual([
      'Puente-Should-Retry',
    ]);
    expect(refused.headers.get('puente-should-retry')).toBe('false');
  });

  it('has admin calendar examples that, sent as they are, change no day (a replacement sends the whole set)', async () => {
    const admin = { authorization: 'Bearer admin-token-for-tests' };
    const cases = [
      ['put', '/v1/admin/calendar/years/{year}', '/v1/admin/calendar/years/2026'],
      ['put', '/v1/admin/calendar/years/{year}/regions/{region}', '/v1/admin/calendar/years/2026/regions/MD'],
      ['put', '/v1/admin/calendar/years/{year}/areas/{area}', '/v1/admin/calendar/years/2026/areas/tenerife'],
      [
        'put',
        '/v1/admin/calendar/years/{year}/municipalities/{municipality}',
        '/v1/admin/calendar/years/2026/municipalities/08019',
      ],
    ] as const;
    for (const [method, template, path] of cases) {
      const op = generated.paths[template][method];
      // The path's own example names that year.
      expect(op.parameters.find((x: any) => x.name === 'year').schema.example, template).toBe(2026);
      const example =
        op.requestBody.content['application/json'].example ??
        generated.components.schemas[op.requestBody.content['application/json'].schema.$ref.split('/').at(-1)].example;
      const res = await t.request(path, { method: 'PUT', headers: admin, json: example });
      const change = (await res.json()) as Record<string, any>;
      expect(res.status, `${template}: ${JSON.stringify(change)}`).toBe(200);
      const dates = (days: Array<{ date: string }>) => days.map((d) => d.date).sort();
      expect(change.before.length, template).toBeGreaterThan(0);
      expect(dates(change.after), template).toEqual(dates(change.before));
    }
  });

  it('declares its security schemes', () => {
    expect(Object.keys(generated.components.securitySchemes).sort()).toEqual([
      'AdminToken',
      'AgencyKey',
      'ApiKey',
      'CitizenToken',
      'Consent',
    ]);
  });

  it('has examples that validate against their own schemas', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'doc', components: generated.components });
    const fix = (schema: unknown): unknown =>
      JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/'));
    let checked = 0;
    for (const [name, schema] of Object.entries<Record<string, any>>(generated.components.schemas)) {
      if (schema.example === undefined) continue;
      const validate = ajv.compile(fix(schema) as object);
      expect(validate(schema.example), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      checked++;
    }
    for (const [method, path, op] of operations(generated)) {
      const body = op.requestBody?.content?.['application/json'];
      if (body?.example !== undefined) {
        const validate = ajv.compile(fix(body.schema) as object);
        expect(validate(body.example), `${method} ${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
