import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import { advance, citizenCase, fileJub } from '../support/citizen-procedures';
import {
  ADMIN_TOKEN,
  auth,
  citizenToken,
  expectJson,
  expectProblem,
  grantDelegation,
  mintToken,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { consentHeaders, delegatedDraft, FORMS, openNotification, PDF_BYTES, upload } from '../support/procedures';

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

/** What an operation names: a procedure and its document and notification, or a procedure type. */
interface Target {
  procedureId: string;
  documentId: string;
  /** Unset for a draft, which has no notification: an unknown one is named instead. */
  notificationId?: string;
  type: string;
}

/** One organisation's client, a procedure of theirs, and the key and token to act with. */
interface Allowed extends Target {
  key: string;
  token: string;
}

/** A client's draft (with one document), under a delegation that covers every capacity. */
interface World extends Allowed {
  idNumber: string;
  delegationId: string;
  /** A token of the same delegation without the capacity an operation needs. */
  tokenWithout(capacity: Capacity): Promise<string>;
}

async function world(key: string, types: string[] = ['JUB', 'IMV']): Promise<World> {
  const { token, draft, idNumber, delegationId } = await delegatedDraft(t, key, {
    procedure_types: types,
    capacities: [...ALL],
  });
  const { id: documentId } = await expectJson<{ id: string }>(await upload(t, key, token, draft.id, 'DNI_NIE'), 201);
  return {
    key,
    token,
    idNumber,
    delegationId,
    procedureId: draft.id,
    documentId,
    type: 'JUB',
    tokenWithout: (capacity) =>
      mintToken(t, key, delegationId, {
        capacities: ALL.filter((c) => c !== capacity),
        lifetime_seconds: 3600,
      }),
  };
}

/**
 * A client's JUB filed with its two documents, with a requirement the representative has opened:
 * every consented read answers 200 on it (the receipt exists, the notification named is there).
 */
async function filedWorld(): Promise<Allowed> {
  const c = await citizenCase(t);
  const filed = await fileJub(t, c);
  await advance(t, c, filed.id, { action: 'require', kinds: ['COMPANY_CERT'], message: 'Falta el certificado.' });
  const token = await c.token();
  const notification = await openNotification(t, c.orgKey, token, filed.id, 'requirement');
  const documents = await expectJson<{ data: Array<{ id: string }> }>(
    await t.request(`/v1/procedures/${filed.id}/documents`, { headers: consentHeaders(c.orgKey, token) }),
    200,
  );
  const [document] = documents.data;
  return {
    key: c.orgKey,
    token,
    procedureId: filed.id,
    documentId: document!.id,
    notificationId: notification.id as string,
    type: 'JUB',
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
  request(w: Target): { path: string; init: RequestInit & { json?: unknown } };
}

const UNKNOWN_NOTIFICATION = 'ntf_unknown0000000000000';
const notification = (w: Target) =>
  `/v1/procedures/${w.procedureId}/notifications/${w.notificationId ?? UNKNOWN_NOTIFICATION}`;

function uploadBody(): FormData {
  const form = new FormData();
  form.set('kind', 'IBAN_CERT');
  form.set('file', new Blob([PDF_BYTES as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'iban.pdf');
  return form;
}

/** A consented GET of something of the procedure named. */
const read = (name: string, path: (w: Target) => string, more: Partial<Operation> = {}): Operation => ({
  name,
  capacity: 'consult',
  takesId: true,
  request: (w) => ({ path: path(w), init: {} }),
  ...more,
});

/** A consented POST or PATCH on the procedure named. */
const act = (
  name: string,
  capacity: Capacity,
  path: (w: Target) => string,
  init: () => RequestInit & { json?: unknown } = () => ({ method: 'POST' }),
): Operation => ({ name, capacity, takesId: true, request: (w) => ({ path: path(w), init: init() }) });

const OPERATIONS: Operation[] = [
  read('retrieve', (w) => `/v1/procedures/${w.procedureId}`),
  read('timeline', (w) => `/v1/procedures/${w.procedureId}/timeline`),
  // A draft has no receipt yet: refused as a state problem.
  read('receipt', (w) => `/v1/procedures/${w.procedureId}/receipt`, {
    onDraft: { status: 409, code: 'invalid_state_transition' },
  }),
  read('document list', (w) => `/v1/procedures/${w.procedureId}/documents`),
  read('document download', (w) => `/v1/procedures/${w.procedureId}/documents/${w.documentId}/content`),
  read('consent check', (w) => `/v1/consent-tokens/current?capacity=consult&procedure_type=${w.type}`, {
    takesId: false,
  }),
  {
    name: 'create',
    capacity: 'file',
    takesId: false,
    request: (w) => ({ path: '/v1/procedures', init: { method: 'POST', json: { type: w.type, form: FORMS.JUB } } }),
  },
  act(
    'update',
    'file',
    (w) => `/v1/procedures/${w.procedureId}`,
    () => ({ method: 'PATCH', json: { form: FORMS.JUB } }),
  ),
  act('submit', 'file', (w) => `/v1/procedures/${w.procedureId}/submit`),
  act('withdraw', 'withdraw', (w) => `/v1/procedures/${w.procedureId}/withdraw`),
  act(
    'respond',
    'respond',
    (w) => `/v1/procedures/${w.procedureId}/requirements/req_unknown0000000000000/response`,
    () => ({ method: 'POST', json: { message: 'Adjunto.' } }),
  ),
  act(
    'upload',
    'file',
    (w) => `/v1/procedures/${w.procedureId}/documents`,
    () => ({ method: 'POST', body: uploadBody() }),
  ),
  read('notification list', (w) => `/v1/procedures/${w.procedureId}/notifications`),
  // A draft has no notification: the one named is refused by the gate.
  read('notification retrieve', notification, { onDraft: { status: 404, code: 'not_found' } }),
  {
    ...act('notification open', 'consult', (w) => `${notification(w)}/access`),
    write: true,
    onDraft: { status: 404, code: 'not_found' },
  },
];

/** What a case sends: the key and token, and the procedure (or type) it names. */
interface Attempt extends Target {
  app?: TestApp;
  headers: Record<string, string>;
  /** Runs just before the attempt (e.g. to use up the rate limit). */
  before?: () => Promise<void>;
}

interface RefusalCase {
  name: string;
  status: number;
  code: string;
  prepare(op: Operation): Promise<Attempt>;
}

/** An attempt on the world's draft with these headers. */
const aimedAt = (w: World, headers: Record<string, string>): Attempt => ({
  headers,
  procedureId: w.procedureId,
  documentId: w.documentId,
  type: w.type,
});

const refusal = (name: string, status: number, code: string, prepare: RefusalCase['prepare']): RefusalCase => ({
  name,
  status,
  code,
  prepare,
});

/** The client's delegation ended by `end` (which must answer 200) after the token was minted. */
const endedDelegation = (name: string, end: (w: World) => Promise<Response>) =>
  refusal(name, 403, 'delegation_inactive', async () => {
    const w = await world((await registerOrg(t)).testKey, ['JUB']);
    const ended = await end(w);
    expect(ended.status, await ended.clone().text()).toBe(200);
    return aimedAt(w, consentHeaders(w.key, w.token));
  });

let seq = 0;
const requestId = () => `req_gate_${String(++seq).padStart(6, '0')}_${Math.random().toString(36).slice(2, 8)}`;

const CASES: RefusalCase[] = [
  refusal('no key', 401, 'unauthorized', async () => {
    const w = await world((await registerOrg(t)).testKey);
    return aimedAt(w, { 'puente-consent': w.token });
  }),
  refusal('revoked key', 401, 'unauthorized', async () => {
    const org = await registerOrg(t);
    const w = await world(org.testKey);
    const extra = (await (
      await t.request('/v1/api-keys', { method: 'POST', headers: auth(org.testKey), json: { name: 'soon revoked' } })
    ).json()) as { id: string; secret: string };
    const revoked = await t.request(`/v1/api-keys/${extra.id}`, { method: 'DELETE', headers: auth(org.testKey) });
    expect(revoked.status).toBe(200);
    return aimedAt(w, consentHeaders(extra.secret, w.token));
  }),
  refusal('suspended organisation', 403, 'organization_suspended', async () => {
    const org = await registerVerifiedOrg(t);
    const w = await world(org.testKey);
    await t.request(`/v1/admin/organizations/${org.id}/suspend`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { reason: 'Baja colegial.' },
    });
    return aimedAt(w, consentHeaders(org.testKey, w.token));
  }),
  refusal('live mode unavailable', 403, 'live_mode_unavailable', async () => {
    const org = await registerVerifiedOrg(t);
    const w = await world(org.liveKey);
    // The organisation is no longer verified (its verification is being reviewed again).
    await t.sql`update organizations set status = 'pending_verification' where id = ${org.id}`;
    return aimedAt(w, consentHeaders(org.liveKey, w.token));
  }),
  refusal('rate limit exceeded', 429, 'rate_limited', async () => {
    const org = await registerOrg(t);
    const w = await world(org.testKey);
    const limited = await createTestApp({
      database: t.database,
      config: { rateLimit: { limit: 2, windowSeconds: 60 } },
    });
    return {
      ...aimedAt(w, consentHeaders(org.testKey, w.token)),
      app: limited,
      async before() {
        limited.clock.advance(60_000);
        for (let i = 0; i < 2; i++)
          expect((await limited.request('/v1/organization', { headers: auth(org.testKey) })).status).toBe(200);
      },
    };
  }),
  refusal("another organisation's token", 403, 'consent_actor_mismatch', async () => {
    const mine = await world((await registerOrg(t)).testKey);
    const theirs = await world((await registerOrg(t)).testKey);
    return aimedAt(mine, consentHeaders(mine.key, theirs.token));
  }),
  refusal('a token of the other mode', 403, 'consent_mode_mismatch', async () => {
    const org = await registerVerifiedOrg(t);
    const w = await world(org.testKey);
    return aimedAt(w, consentHeaders(org.liveKey, w.token));
  }),
  refusal('an organisation whose standing lapsed to non-practising', 403, 'organization_not_practising', async () => {
    const org = await registerOrg(t);
    const w = await world(org.testKey);
    // Recorded as it would stand for an organisation verified before non-practising ones were refused.
    await t.sql`update organizations set practising = false where id = ${org.id}`;
    return aimedAt(w, consentHeaders(org.testKey, w.token));
  }),
  refusal('a token whose capacities do not cover the action', 403, 'scope_insufficient', async (op) => {
    const w = await world((await registerOrg(t)).testKey);
    return aimedAt(w, consentHeaders(w.key, await w.tokenWithout(op.capacity)));
  }),
  refusal('a delegation that does not cover the type', 403, 'scope_insufficient', async () => {
    const org = await registerOrg(t);
    // The client's JUB procedure exists under a JUB delegation; the token used comes from their IMV-only one.
    const jub = await world(org.testKey, ['JUB']);
    const imvOnly = await grantDelegation(t, org.testKey, {
      idNumber: jub.idNumber,
      scope: { procedure_types: ['IMV'], subjects: [], capacities: [...ALL] },
    });
    const token = await mintToken(t, org.testKey, imvOnly.delegationId, { lifetime_seconds: 3600 });
    return aimedAt(jub, consentHeaders(org.testKey, token));
  }),
  endedDelegation('a delegation the citizen revoked', async (w) =>
    t.request(`/v1/me/delegations/${w.delegationId}/revoke`, {
      method: 'POST',
      headers: auth(await citizenToken(t, w.idNumber)),
    }),
  ),
  endedDelegation('a delegation the organisation renounced', (w) =>
    t.request(`/v1/delegations/${w.delegationId}/renounce`, {
      method: 'POST',
      headers: auth(w.key),
      json: { reason: 'Fin del encargo.' },
    }),
  ),
  // Another client's procedure answers as an unknown one, even where the token's own scope would
  // not cover that procedure's type: its type is not told by a 403 that names it.
  refusal("another client's procedure, of a type the token does not cover", 404, 'not_found', async () => {
    const org = await registerOrg(t);
    const theirs = await world(org.testKey, ['JUB']);
    // Another client of the same organisation, with an IMV-only delegation.
    const mine = await grantDelegation(t, org.testKey, {
      scope: { procedure_types: ['IMV'], subjects: [], capacities: [...ALL] },
    });
    const token = await mintToken(t, org.testKey, mine.delegationId, { lifetime_seconds: 3600 });
    return aimedAt(theirs, consentHeaders(org.testKey, token));
  }),
  refusal('an unknown id', 404, 'not_found', async () => {
    const w = await world((await registerOrg(t)).testKey);
    return {
      ...aimedAt(w, consentHeaders(w.key, w.token)),
      procedureId: 'prc_unknown00000000000000',
      documentId: 'doc_unknown00000000000000',
    };
  }),
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
    const draft = await world((await registerOrg(t)).testKey);
    for (const w of [draft, await filedWorld()]) {
      for (const op of OPERATIONS.filter((o) => o.capacity === 'consult')) {
        const id = requestId();
        const { path, init } = op.request(w);
        const res = await t.request(path, { ...init, headers: consentHeaders(w.key, w.token, { 'request-id': id }) });
        // A resource the draft does not have (a receipt, a notification) is refused inside the gate, and not logged as read.
        const refused = w === draft ? op.onDraft : undefined;
        if (refused) {
          await expectProblem(res, refused.status, refused.code);
        } else {
          expect(res.status, `${op.name}: ${await res.clone().text()}`).toBe(200);
        }
        expect(res.headers.get('cache-control'), op.name).toBe('no-store');
        expect(await accessLogRows(id), op.name).toBe(refused ? 0 : 1);
      }
    }
  });

  it("another client's procedure that awaits documents answers 404, not a 403 naming the capacity its state needs", async () => {
    // The other client's JUB awaits documents: an upload to it would need `respond`.
    const c = await citizenCase(t);
    const filed = await fileJub(t, c);
    await advance(t, c, filed.id, { action: 'require', kinds: ['COMPANY_CERT'], message: 'Falta el certificado.' });
    // A client of the same organisation, whose token covers JUB but not `respond`.
    const mine = await world(c.orgKey, ['JUB']);
    const token = await mine.tokenWithout('respond');
    const id = requestId();
    const res = await t.request(`/v1/procedures/${filed.id}/documents`, {
      method: 'POST',
      body: uploadBody(),
      headers: consentHeaders(c.orgKey, token, { 'request-id': id }),
    });
    await expectProblem(res, 404, 'not_found');
    expect(await accessLogRows(id)).toBe(0);
    // The same token on the client's own draft (which needs `file`) is allowed.
    const own = await t.request(`/v1/procedures/${mine.procedureId}/documents`, {
      method: 'POST',
      body: uploadBody(),
      headers: consentHeaders(c.orgKey, token),
    });
    expect(own.status, await own.clone().text()).toBe(201);
  });

  it('every consented read costs exactly one query: allowed on a filed procedure, refused inside the gate on a draft, or refused for the token', async () => {
    const filed = await filedWorld();
    const draft = await world((await registerOrg(t)).testKey);
    const other = await world((await registerOrg(t)).testKey);
    for (const w of [filed, draft]) {
      for (const op of OPERATIONS.filter((o) => o.capacity === 'consult' && !o.write)) {
        const { path } = op.request(w);
        // The first use of a token verifies its signature (and may load the signing key); later uses only re-judge its times.
        await t.request(path, { headers: consentHeaders(w.key, w.token) });
        await t.request(path, { headers: consentHeaders(w.key, other.token) });
        const allowed = w === draft ? (op.onDraft?.status ?? 200) : 200;
        for (const [token, status] of [
          [w.token, allowed],
          [other.token, 403],
        ] as const) {
          const before = queries;
          const res = await t.request(path, { headers: consentHeaders(w.key, token) });
          const cost = queries - before;
          expect(res.status, `${op.name}: ${await res.clone().text()}`).toBe(status);
          expect(cost, `${op.name} (${res.status})`).toBe(1);
        }
      }
    }
  });
});
