import type { App } from '../../http/context';
import { API_TITLE, buildOpenApiDocument } from '../../http/openapi-builder';
import { ProblemError } from '../../http/problem';
import { registerWebhookEvents } from '../events/payloads';
import { DOCS_CSP, DOCS_SCRIPT, DOCS_STYLESHEET, docsPage } from './page';

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
