import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SAMPLE_BASE_URL } from '../../api/http/code-samples';
import { createTestApp, type ServedApp, serveTestApp, type TestApp } from '../support/app';
import { ADMIN_TOKEN, auth, issueAgencyKey, registerVerifiedOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft, submitJub } from '../support/procedures';

const run = promisify(execFile);
const document = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as Record<
  string,
  any
>;
const reads = Object.entries<Record<string, any>>(document.paths).flatMap(([path, item]) =>
  Object.entries<Record<string, any>>(item)
    .filter(([method]) => method === 'get')
    .map(([, op]) => ({
      path,
      op,
      curl: op['x-codeSamples'].find((s: { label: string }) => s.label === 'curl').source as string,
    })),
);

let t: TestApp;
let server: ServedApp | undefined;
let base: string;
let cwd: string;
let env: Record<string, string>;
/** The documented example ids, by prefix, replaced with ids that exist on this server. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
  server = await serveTestApp(t);
  base = server.url;
  cwd = mkdtempSync(join(tmpdir(), 'puente-samples-'));
  const json = async (res: Response | Promise<Response>) => {
    const r = await res;
    expect(r.status, await r.clone().text()).toBeLessThan(300);
    return (await r.json()) as Record<string, any>;
  };
  // One of everything a read can name: a filed procedure with documents, an event, an endpoint, a calendar change, a batch.
  const org = await registerVerifiedOrg(t);
  const {
    draft,
    token: consent,
    ...granted
  } = await delegatedDraft(t, org.liveKey, {
    capacities: ['consult', 'file', 'respond'],
  });
  await submitJub(t, org.liveKey, consent, draft.id);
  const documents = await json(
    t.request(`/v1/procedures/${draft.id}/documents`, { headers: consentHeaders(org.liveKey, consent) }),
  );
  const members = await json(t.request('/v1/members', { headers: auth(org.liveKey) }));
  const events = await json(t.request('/v1/events', { headers: auth(org.liveKey) }));
  const endpoint = await json(
    t.request('/v1/webhook-endpoints', {
      method: 'POST',
      headers: auth(org.liveKey),
      json: { url: 'https://hooks.example.com/puente' },
    }),
  );
  const agencyKey = await issueAgencyKey(t);
  // The agency asks for a document: a notification the representative can read.
  await json(
    t.request(`/v1/agency/procedures/${draft.id}/requirements`, {
      method: 'POST',
      headers: auth(agencyKey),
      json: { kinds: ['COMPANY_CERT'], message: 'Aporte el certificado de empresa.' },
    }),
  );
  const notifications = await json(
    t.request(`/v1/procedures/${draft.id}/notifications`, { headers: consentHeaders(org.liveKey, consent) }),
  );
  const batch = await json(
    t.request('/v1/delegation-requests/batches', {
      method: 'POST',
      headers: auth(org.liveKey),
      json: {
        rows: [
          {
            citizen: { id_number: '00000001R', name: 'Lucía Martín' },
            scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult'] },
            valid_until: '2027-12-31',
          },
        ],
      },
    }),
  );
  const change = await json(
    t.request('/v1/admin/calendar/years/2026/municipalities/28005', {
      method: 'PUT',
      headers: auth(ADMIN_TOKEN),
      json: {
        days: [{ date: '2026-08-24', name: 'Fiesta local', source: 'BOCM', confidence: 'A' }],
        reason: 'Fiestas locales publicadas en el BOCM.',
      },
    }),
  );
  Object.assign(ids, {
    prc: draft.id,
    dlg: granted.delegationId,
    dlr: granted.requestId,
    doc: documents.data[0].id,
    mem: members.data[0].id,
    evt: events.data[0].id,
    whe: endpoint.id,
    cch: change.id,
    dlb: batch.id,
    ntf: notifications.data[0].id,
  });
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    PUENTE_API_KEY: org.liveKey,
    PUENTE_CONSENT_TOKEN: consent,
    PUENTE_AGENCY_KEY: agencyKey,
    PUENTE_CITIZEN_TOKEN: granted.citizenToken!,
    PUENTE_ADMIN_TOKEN: ADMIN_TOKEN,
  };
}, 120_000);
afterAll(async () => {
  rmSync(cwd, { recursive: true, force: true });
  await server?.close();
  await t?.close();
});

describe('curl samples of the read-only operations', () => {
  it('cover every GET operation, in the document', () => {
    expect(reads.length).toBeGreaterThan(30);
    for (const { op, curl } of reads) expect(curl, op.operationId).toMatch(/^curl /);
  });

  it.each(reads.map((r) => [r.op.operationId as string, r] as const))(
    '%s answers its documented status when run as written',
    async (_, { op, curl }) => {
      const documented = Number(Object.keys(op.responses).find((code) => code.startsWith('2')));
      const command = curl
        .replaceAll(SAMPLE_BASE_URL, base)
        .replace(
          /\b(prc|dlg|dlr|doc|mem|evt|whe|cch|dlb|ntf)_[A-Za-z0-9]{20,}/g,
          (id, prefix: string) => ids[prefix] ?? id,
        );
      const { stdout } = await run('bash', ['-c', `${command} -o /dev/null -w '%{http_code}'`], {
        cwd,
        env,
        timeout: 20_000,
      });
      expect(Number(stdout.trim().split('\n').at(-1)), `${op.operationId}: ${command}`).toBe(documented);
    },
  );
});
