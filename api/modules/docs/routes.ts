import type { App } from '../../http/context';
import { ProblemError } from '../../http/problem';
import { PROBLEM_CODES } from '../../http/problem-codes';
import { registerWebhookEvents } from '../events/payloads';
import { withCodeSamples } from './code-samples';
import { DOCS_CSP, DOCS_SCRIPT, DOCS_STYLESHEET, docsPage } from './page';

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
    description: 'Where events are pushed, signed per Standard Webhooks, with retries and a delivery log.',
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

const ASSET_TYPES = {
  'redoc.standalone.js': 'text/javascript; charset=utf-8',
} as const;

/** The reference page and its assets are served from this process, so it works on closed networks (see ./page.ts). */
export function registerDocs(app: App): void {
  registerWebhookEvents(app);
  let document: string | undefined;
  app.get('/openapi.json', (c) => {
    document ??= JSON.stringify(buildOpenApiDocument(app));
    return c.body(document, 200, { 'content-type': 'application/json; charset=utf-8' });
  });
  app.get('/docs', (c) => c.html(docsPage(API_TITLE), 200, { 'content-security-policy': DOCS_CSP }));
  app.get('/docs/assets/init.js', (c) =>
    c.body(DOCS_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/docs/assets/docs.css', (c) => c.body(DOCS_STYLESHEET, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    if (!(file in ASSET_TYPES)) throw new ProblemError('not_found', 'No such documentation asset.');
    const name = file as keyof typeof ASSET_TYPES;
    const content = await c.get('deps').docsAssets.get(name);
    if (content === undefined) throw new ProblemError('not_found', 'No such documentation asset.');
    return c.body(content, 200, { 'content-type': ASSET_TYPES[name], 'cache-control': 'public, max-age=86400' });
  });
}
