import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  expectProblem,
  grantDelegation,
  mintToken,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { consentHeaders, createDraft, FORMS, PDF_BYTES } from '../support/procedures';

/**
 * Every refusal, sent to every operation on a client's data (reads and writes), answers the same
 * status and code, and leaves nothing in the citizen's access log: the log records only what
 * happened.
 */
let t: TestApp;
let queries = 0;
beforeAll(async () => {
  t = await createTestApp({
    // postgres.js calls its `debug` hook once for every query it sends.
    onQuery: () => queries++,
    config: {
      adminToken: ADMIN_TOKEN,
      rateLimit: { limit: 10_000, windowSeconds: 60 },
      registrationRateLimit: { limit: 10_000, windowSeconds: 3600 },
    },
  });
});
afterAll(() => t.close());

const ALL = ['consult', 'file', 'respond', 'withdraw'] as const;
type Capacity = (typeof ALL)[number];

/** One organisation's client, a draft of theirs, and the key and token to act with. */
interface World {
  key: string;
  token: string;
  idNumber: string;
  procedureId: string;
  documentId: string;
  /** A token of the same delegation without the capacity an operation needs. */
  tokenWithout(capacity: Capacity): Promise<string>;
}

async function world(key: string, types: string[] = ['JUB', 'IMV']): Promise<World> {
  const granted = await grantDelegation(t, key, {
    scope: { procedure_types: types, subjects: [], capacities: [...ALL] },
  });
  const token = await mintToken(t, key, granted.delegationId, { lifetime_seconds: 3600 });
  const draft = await createDraft(t, key, token, 'JUB', FORMS.JUB);
  const form = new FormData();
  form.set('kind', 'DNI_NIE');
  form.set('file', new Blob([PDF_BYTES as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'dni.pdf');
  const uploaded = await t.request(`/v1/procedures/${draft.id}/documents`, {
    method: 'POST',
    headers: consentHeaders(key, token),
    body: form,
  });
  expect(uploaded.status, await uploaded.clone().text()).toBe(201);
  const documentId = ((await uploaded.json()) as { id: string }).id;
  return {
    key,
    token,
    idNumber: granted.idNumber,
    procedureId: draft.id,
    documentId,
    tokenWithout: (capacity) =>
      mintToken(t, key, granted.delegationId, {
        capacities: ALL.filter((c) => c !== capacity),
        lifetime_seconds: 3600,
      }),
  };
}

interface Operation {
  name: string;
  capacity: Capacity;
  /** Operations without a procedure id have no "unknown id" case. */
  takesId: boolean;
  /** A consented write that needs only `consult` (opening a notification): left out of the read-only checks. */
  write?: true;
  /** What an allowed request on the world's draft answers when the gate refuses the resource it names (nothing logged). */
  onDraft?: { status: number; code: string };
  request(w: { procedureId: string; documentId: string; type: string }): {
    path: string;
    init: RequestInit & { json?: unknown };
  };
}

const UNKNOWN_NOTIFICATION = 'ntf_unknown0000000000000';

function uploadBody(): FormData {
  const form = new FormData();
  form.set('kind', 'IBAN_CERT');
  form.set('file', new Blob([PDF_BYTES as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'iban.pdf');
  return form;
}

const OPERATIONS: Operation[] = [
  {
    name: 'retrieve',
    capacity: 'consult',
    takesId: true,
    request: (w) => ({ path: `/v1/procedures/${w.procedureId}`, init: {} }),
  },
  {
    name: 'timeline',
    capacity: 'consult',
    takesId: true,
    request: (w) => ({ path: `/v1/procedures/${w.procedureId}/timeline`, init: {} }),
  },
  {
    name: 'receipt',
    capacity: 'consult',
    takesId: true,
    // A draft has no receipt yet: refused as a state problem.
    onDraft: { status: 409, code: 'invalid_state_transition' },
    request: (w) => ({ path: `/v1/procedures/${w.procedureId}/receipt`, init: {} }),
  },
  {
    name: 'document list',
    capacity: 'consult',
    takesId: true,
    request: (w) => ({ path: `/v1/procedures/${w.procedureId}/documents`, init: {} }),
  },
  {
    name: 'document download',
    capacity: 'consult',
    takesId: true,
    request: (w) => ({ path: `/v1/procedures/${w.procedureId}/documents/${w.documentId}/content`, init: {} }),
  },
  {
    name: 'consent check',
    capacity: 'consult',
    takesId: false,
    request: (w) => ({ path: `/v1/consent-tokens/current?capacity=consult&procedure_type=${w.type}`, init: {} }),
  },
  {
    name: 'create',
    capacity: 'file',
    takesId: false,
    request: (w) => ({ path: '/v1/procedures', init: { method: 'POST', json: { type: w.type, form: FORMS.JUB } } }),
  },
  {
    name: 'update',
    capacity: 'file',
    takesId: true,
    request: (w) => ({ path: `/v1/procedures/${w.procedureId}`, init: { method: 'PATCH', json: { form: FORMS.JUB } } }),
  },
  {
    name: 'submit',
    capacity: 'file',
    takesId: true,
    request: (w) => ({ path: `/v1/procedures/${w.procedureId}/submit`, init: { method: 'POST' } }),
  },
  {
    name: 'withdraw',
    capacity: 'withdraw',
    takesId: true,
    request: (w) => ({ path: `/v1/procedures/${w.procedureId}/withdraw`, init: { method: 'POST' } }),
  },
  {
    name: 'respond',
    capacity: 'respond',
    takesId: true,
    request: (w) => ({
      path: `/v1/procedures/${w.procedureId}/requirements/req_unknown0000000000000/response`,
      init: { method: 'POST', json: { message: 'Adjunto.' } },
    }),
  },
  {
    name: 'upload',
    capacity: 'file',
    takesId: true,
    request: (w) => ({
      path: `/v1/procedures/${w.procedureId}/documents`,
      init: { method: 'POST', body: uploadBody() },
    }),
  },
  {
    name: 'notification list',
    capacity: 'consult',
    takesId: true,
    request: (w) => ({ path: `/v1/procedures/${w.procedureId}/notifications`, init: {} }),
  },
  {
    name: 'notification retrieve',
    capacity: 'consult',
    takesId: true,
    // A draft has no notification: the one named is refused by the gate.
    onDraft: { status: 404, code: 'not_found' },
    request: (w) => ({ path: `/v1/procedures/${w.procedureId}/notifications/${UNKNOWN_NOTIFICATION}`, init: {} }),
  },
  {
    name: 'notification open',
    capacity: 'consult',
    takesId: true,
    write: true,
    onDraft: { status: 404, code: 'not_found' },
    request: (w) => ({
      path: `/v1/procedures/${w.procedureId}/notifications/${UNKNOWN_NOTIFICATION}/access`,
      init: { method: 'POST' },
    }),
  },
];

/** What a case sends: the key and token, and the procedure (or type) it names. */
interface Attempt {
  app?: TestApp;
  headers: Record<string, string>;
  procedureId: string;
  documentId: string;
  type: string;
  /** Runs just before the attempt (e.g. to use up the rate limit). */
  before?: () => Promise<void>;
}

interface RefusalCase {
  name: string;
  status: number;
  code: string;
  prepare(op: Operation): Promise<Attempt>;
}

let seq = 0;
const requestId = () => `req_gate_${String(++seq).padStart(6, '0')}_${Math.random().toString(36).slice(2, 8)}`;

const CASES: RefusalCase[] = [
  {
    name: 'no key',
    status: 401,
    code: 'unauthorized',
    async prepare() {
      const w = await world((await registerOrg(t)).testKey);
      return {
        headers: { 'puente-consent': w.token },
        procedureId: w.procedureId,
        documentId: w.documentId,
        type: 'JUB',
      };
    },
  },
  {
    name: 'revoked key',
    status: 401,
    code: 'unauthorized',
    async prepare() {
      const org = await registerOrg(t);
      const w = await world(org.testKey);
      const extra = (await (
        await t.request('/v1/api-keys', { method: 'POST', headers: auth(org.testKey), json: { name: 'soon revoked' } })
      ).json()) as { id: string; secret: string };
      expect(
        (await t.request(`/v1/api-keys/${extra.id}`, { method: 'DELETE', headers: auth(org.testKey) })).status,
      ).toBe(200);
      return {
        headers: consentHeaders(extra.secret, w.token),
        procedureId: w.procedureId,
        documentId: w.documentId,
        type: 'JUB',
      };
    },
  },
  {
    name: 'suspended organisation',
    status: 403,
    code: 'organization_suspended',
    async prepare() {
      const org = await registerVerifiedOrg(t);
      const w = await world(org.testKey);
      await t.request(`/v1/admin/organizations/${org.id}/suspend`, {
        method: 'POST',
        headers: auth(ADMIN_TOKEN),
        json: { reason: 'Baja colegial.' },
      });
      return {
        headers: consentHeaders(org.testKey, w.token),
        procedureId: w.procedureId,
        documentId: w.documentId,
        type: 'JUB',
      };
    },
  },
  {
    name: 'live mode unavailable',
    status: 403,
    code: 'live_mode_unavailable',
    async prepare() {
      const org = await registerVerifiedOrg(t);
      const w = await world(org.liveKey);
      // The organisation is no longer verified (its verification is being reviewed again).
      await t.sql`update organizations set status = 'pending_verification' where id = ${org.id}`;
      return {
        headers: consentHeaders(org.liveKey, w.token),
        procedureId: w.procedureId,
        documentId: w.documentId,
        type: 'JUB',
      };
    },
  },
  {
    name: 'rate limit exceeded',
    status: 429,
    code: 'rate_limited',
    async prepare() {
      const org = await registerOrg(t);
      const w = await world(org.testKey);
      const limited = await createTestApp({
        database: t.database,
        config: { rateLimit: { limit: 2, windowSeconds: 60 } },
      });
      return {
        app: limited,
        headers: consentHeaders(org.testKey, w.token),
        procedureId: w.procedureId,
        documentId: w.documentId,
        type: 'JUB',
        async before() {
          limited.clock.advance(60_000);
          for (let i = 0; i < 2; i++)
            expect((await limited.request('/v1/organization', { headers: auth(org.testKey) })).status).toBe(200);
        },
      };
    },
  },
  {
    name: "another organisation's token",
    status: 403,
    code: 'consent_actor_mismatch',
    async prepare() {
      const mine = await world((await registerOrg(t)).testKey);
      const theirs = await world((await registerOrg(t)).testKey);
      return {
        headers: consentHeaders(mine.key, theirs.token),
        procedureId: mine.procedureId,
        documentId: mine.documentId,
        type: 'JUB',
      };
    },
  },
  {
    name: 'a token of the other mode',
    status: 403,
    code: 'consent_mode_mismatch',
    async prepare() {
      const org = await registerVerifiedOrg(t);
      const w = await world(org.testKey);
      return {
        headers: consentHeaders(org.liveKey, w.token),
        procedureId: w.procedureId,
        documentId: w.documentId,
        type: 'JUB',
      };
    },
  },
  {
    name: 'a token whose capacities do not cover the action',
    status: 403,
    code: 'scope_insufficient',
    async prepare(op) {
      const w = await world((await registerOrg(t)).testKey);
      return {
        headers: consentHeaders(w.key, await w.tokenWithout(op.capacity)),
        procedureId: w.procedureId,
        documentId: w.documentId,
        type: 'JUB',
      };
    },
  },
  {
    name: 'a delegation that does not cover the type',
    status: 403,
    code: 'scope_insufficient',
    async prepare() {
      const org = await registerOrg(t);
      // The client's JUB procedure exists under a JUB delegation; the token used comes from their IMV-only one.
      const jub = await world(org.testKey, ['JUB']);
      const imvOnly = await grantDelegation(t, org.testKey, {
        idNumber: jub.idNumber,
        scope: { procedure_types: ['IMV'], subjects: [], capacities: [...ALL] },
      });
      const token = await mintToken(t, org.testKey, imvOnly.delegationId, { lifetime_seconds: 3600 });
      return {
        headers: consentHeaders(org.testKey, token),
        procedureId: jub.procedureId,
        documentId: jub.documentId,
        type: 'JUB',
      };
    },
  },
  {
    name: 'a revoked delegation',
    status: 403,
    code: 'delegation_inactive',
    async prepare() {
      const org = await registerOrg(t);
      const granted = await grantDelegation(t, org.testKey, {
        scope: { procedure_types: ['JUB'], subjects: [], capacities: [...ALL] },
      });
      const token = await mintToken(t, org.testKey, granted.delegationId, { lifetime_seconds: 3600 });
      const draft = await createDraft(t, org.testKey, token, 'JUB', FORMS.JUB);
      const renounced = await t.request(`/v1/delegations/${granted.delegationId}/renounce`, {
        method: 'POST',
        headers: auth(org.testKey),
        json: { reason: 'Fin del encargo.' },
      });
      expect(renounced.status).toBe(200);
      return {
        headers: consentHeaders(org.testKey, token),
        procedureId: draft.id,
        documentId: 'doc_unknown00000000000000',
        type: 'JUB',
      };
    },
  },
  {
    name: 'an unknown id',
    status: 404,
    code: 'not_found',
    async prepare() {
      const w = await world((await registerOrg(t)).testKey);
      return {
        headers: consentHeaders(w.key, w.token),
        procedureId: 'prc_unknown00000000000000',
        documentId: 'doc_unknown00000000000000',
        type: 'JUB',
      };
    },
  },
];

async function accessLogRows(id: string): Promise<number> {
  const [row] = await t.sql<{ n: number }[]>`select count(*)::int as n from access_log where request_id = ${id}`;
  return row!.n;
}

describe('the consent gate refuses the same way on every operation, and logs nothing it refused', () => {
  for (const refusal of CASES) {
    it(`${refusal.name}: ${refusal.status} ${refusal.code}`, async () => {
      const seen: string[] = [];
      for (const op of OPERATIONS) {
        if (refusal.code === 'not_found' && !op.takesId) continue;
        const attempt = await refusal.prepare(op);
        await attempt.before?.();
        const { path, init } = op.request(attempt);
        const id = requestId();
        const app = attempt.app ?? t;
        const res = await app.request(path, { ...init, headers: { ...attempt.headers, 'request-id': id } });
        const body = await expectProblem(res, refusal.status, refusal.code).catch((error: Error) => {
          throw new Error(`${op.name}: ${error.message}`);
        });
        expect(body.request_id).toBe(id);
        expect(await accessLogRows(id), `${op.name} wrote an access-log row for a refused request`).toBe(0);
        seen.push(op.name);
      }
      expect(seen.length).toBeGreaterThanOrEqual(refusal.code === 'not_found' ? 13 : 15);
    });
  }

  it('an allowed read logs exactly one row, and a consented response is never cached', async () => {
    const w = await world((await registerOrg(t)).testKey);
    for (const op of OPERATIONS.filter((o) => o.capacity === 'consult')) {
      const id = requestId();
      const { path, init } = op.request({ procedureId: w.procedureId, documentId: w.documentId, type: 'JUB' });
      const res = await t.request(path, { ...init, headers: consentHeaders(w.key, w.token, { 'request-id': id }) });
      // A resource the draft does not have (a receipt, a notification) is refused inside the gate, and not logged as read.
      if (op.onDraft) {
        await expectProblem(res, op.onDraft.status, op.onDraft.code);
      } else {
        expect(res.status, `${op.name}: ${await res.clone().text()}`).toBe(200);
      }
      expect(res.headers.get('cache-control'), op.name).toBe('no-store');
      expect(await accessLogRows(id), op.name).toBe(op.onDraft ? 0 : 1);
    }
  });

  it('every consented read costs exactly one query, allowed or refused', async () => {
    const w = await world((await registerOrg(t)).testKey);
    const other = await world((await registerOrg(t)).testKey);
    for (const op of OPERATIONS.filter((o) => o.capacity === 'consult' && !o.write)) {
      const { path } = op.request({ procedureId: w.procedureId, documentId: w.documentId, type: 'JUB' });
      // The first use of a token verifies its signature (and may load the signing key); later uses only re-judge its times.
      await t.request(path, { headers: consentHeaders(w.key, w.token) });
      await t.request(path, { headers: consentHeaders(w.key, other.token) });
      for (const token of [w.token, other.token]) {
        const before = queries;
        const res = await t.request(path, { headers: consentHeaders(w.key, token) });
        expect([200, 403, 404, 409], op.name).toContain(res.status);
        expect(queries - before, `${op.name} (${res.status})`).toBe(1);
      }
    }
  });
});
