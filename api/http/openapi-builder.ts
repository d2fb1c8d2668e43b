import { withCodeSamples } from './code-samples';
import type { App } from './context';
import { PROBLEM_CODES } from './problem-codes';

/** The OpenAPI 3.1 document of an app: served at /openapi.json and committed as openapi/openapi.json. */
export const API_TITLE = 'Puente API';
export const API_VERSION = '2026-11-01';

const TAGS = [
  { name: 'Service', description: 'Health and service metadata.' },
  { name: 'Procedure types', description: 'The catalogue of benefit procedures, their documents and legal terms.' },
  { name: 'Calendar', description: 'Administrative deadlines in días hábiles (Ley 39/2015, art. 30).' },
  { name: 'Organization', description: "Registration and the caller's representative organisation." },
  { name: 'Members', description: 'The professionals of an organisation and their roles.' },
  { name: 'API keys', description: 'Secret keys, test and live; shown once, stored hashed.' },
  { name: 'Delegation requests', description: 'Asking a citizen for the power to act on their behalf.' },
  { name: 'Delegations', description: 'Powers citizens have granted, and the consent tokens minted from them.' },
  { name: 'Consent', description: 'Verifying consent tokens: published keys and introspection.' },
  { name: 'Citizen', description: 'What a signed-in citizen sees and does: requests, delegations, the access log.' },
  {
    name: 'Procedures',
    description: 'Benefit procedures filed for clients: forms, documents, submission, requirements, receipts.',
  },
  {
    name: 'Notifications',
    description:
      'Electronic notifications of agency acts (Ley 39/2015, arts. 40–43): opened, or deemed rejected after 10 días naturales; the terms they open.',
  },
  {
    name: 'Agency',
    description: "The managing body's back office: admit, require documents, resolve, declare withdrawal or caducidad.",
  },
  { name: 'Events', description: 'Everything that happened, as a feed: the source of truth behind webhooks.' },
  {
    name: 'Webhook endpoints',
    description:
      'Where events are pushed, signed per Standard Webhooks, with retries and a delivery log. Deliveries come at least once and in no guaranteed order: deduplicate on the event `id`, and re-read the resource or walk the ordered feed (`GET /v1/events`) rather than rely on their order.',
  },
  { name: 'Sandbox', description: 'Test-mode helpers that play the citizen and the caseworker.' },
  { name: 'Admin', description: 'Platform administration (`PUENTE_ADMIN_TOKEN`).' },
];

function problemTable(): string {
  const rows = Object.entries(PROBLEM_CODES).map(([code, p]) => `| \`${code}\` | ${p.status} | ${p.description} |`);
  return ['| code | status | meaning |', '|---|---|---|', ...rows].join('\n');
}

export function buildOpenApiDocument(app: App, tags = TAGS) {
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: API_TITLE,
      version: API_VERSION,
      description:
        'File and track Spanish Social Security benefit procedures on behalf of citizens, under consent they grant, can inspect and can revoke.\n\n' +
        'Every error is an RFC 9457 `application/problem+json` body with a stable `code`:\n\n' +
        problemTable(),
      license: { name: 'Proprietary' },
      contact: { name: 'Puente developer support', url: 'https://docs.puente.es', email: 'api@puente.es' },
    },
    servers: [{ url: '/', description: 'This server' }],
    tags,
  });
  return withCodeSamples(document);
}
