/**
 * The reference page: Redoc (schemas, examples and the `x-codeSamples` of every operation) with
 * a request console above it for trying calls with a test key. Everything is served from this
 * process and the Content-Security-Policy admits nothing else, so the page works, and stays
 * silent, on a closed network. The theme and stylesheet give every text AA contrast.
 */
export const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; worker-src 'self' blob:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function docsPage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} reference</title>
<link rel="stylesheet" href="/docs/assets/docs.css">
</head>
<body>
<header class="console-header"><h1 id="console-title">${title}: try a request</h1></header>
<section class="console" aria-labelledby="console-title">
<form id="console-form">
<p class="console-help">Calls go to this server with your <strong>test</strong> key (<code>sk_test_…</code>); it is kept in this tab only. Pick an operation; its example fills the fields.</p>
<div class="console-row">
<label for="console-operation">Operation</label>
<select id="console-operation" name="operation"></select>
</div>
<div class="console-row">
<label for="console-key">Test API key</label>
<input id="console-key" name="key" type="password" autocomplete="off" spellcheck="false" placeholder="sk_test_…">
</div>
<div class="console-row">
<label for="console-consent">Puente-Consent token (operations on a client's data)</label>
<input id="console-consent" name="consent" type="text" autocomplete="off" spellcheck="false">
</div>
<div class="console-row">
<label for="console-path">Method and path</label>
<div class="console-inline"><span id="console-method" class="console-method" aria-live="polite"></span><input id="console-path" name="path" type="text" spellcheck="false"></div>
</div>
<div class="console-row">
<label for="console-body">JSON body</label>
<textarea id="console-body" name="body" rows="6" spellcheck="false"></textarea>
</div>
<button type="submit">Send request</button>
</form>
<h2 id="console-result-title">Response</h2>
<pre id="console-result" tabindex="0" aria-labelledby="console-result-title" aria-live="polite">No request sent yet.</pre>
</section>
<main id="reference" aria-label="API reference"></main>
<script src="/docs/assets/redoc.standalone.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>`;
}

/** AA contrast on white and on the dark right panel (Redoc's defaults fall short). */
const PALETTE = {
  ink: '#1a1a1a',
  blue: '#1f4fa3',
  green: '#1b6b36',
  red: '#a1261b',
  amber: '#7a4b00',
  slate: '#3d4246',
};
const { ink, blue, green, red, amber, slate } = PALETTE;
const THEME = {
  colors: {
    primary: { main: blue },
    text: { primary: ink, secondary: slate },
    success: { main: green },
    error: { main: red },
    warning: { main: amber },
    http: { get: green, post: blue, put: amber, patch: amber, delete: red, options: slate, head: '#5b2a86' },
    responses: { success: { color: green }, error: { color: red }, redirect: { color: amber }, info: { color: blue } },
  },
  schema: { typeNameColor: slate, typeTitleColor: blue, requireLabelColor: red, nestedBackground: '#fafafa' },
  typography: {
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    code: { color: red, backgroundColor: '#f4f5f5', fontFamily: 'ui-monospace, Menlo, Consolas, monospace' },
    links: { color: blue },
  },
  sidebar: { textColor: ink, backgroundColor: '#fafafa' },
  rightPanel: { backgroundColor: '#1f2933', textColor: '#ffffff' },
  codeBlock: { backgroundColor: '#111820' },
};

export const DOCS_STYLESHEET = `
body { margin: 0; font-family: ${THEME.typography.fontFamily}; color: #1a1a1a; }
.console-header { padding: 16px 24px 0; }
.console-header h1 { font-size: 1.4rem; margin: 0; }
.console { padding: 8px 24px 24px; border-bottom: 1px solid #c8ccd0; max-width: 960px; }
.console-help { margin: 8px 0 12px; }
.console-row { display: flex; flex-direction: column; gap: 4px; margin-bottom: 10px; }
.console-row label { font-weight: 600; }
.console-inline { display: flex; gap: 8px; align-items: center; }
.console-inline input { flex: 1; }
.console-method { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 700; min-width: 4em; }
.console input, .console select, .console textarea { font: inherit; padding: 6px 8px; border: 1px solid #5f6368; border-radius: 4px; color: #1a1a1a; background: #ffffff; }
.console textarea, .console pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
.console button { font: inherit; font-weight: 600; padding: 8px 16px; color: #ffffff; background: #1f4fa3; border: 0; border-radius: 4px; cursor: pointer; }
.console :focus-visible, #reference :focus-visible { outline: 3px solid #1f4fa3; outline-offset: 2px; }
.console pre { background: #f4f5f5; padding: 12px; max-height: 320px; overflow: auto; white-space: pre-wrap; }
.console h2 { font-size: 1.1rem; margin: 16px 0 8px; }
#reference h5, #reference table caption { color: #3d4246 !important; }
#reference a { text-decoration: underline; }
#reference [role="tab"].tab-error { color: #ffb4ab !important; }
#reference [role="tab"].tab-success { color: #a8e6b4 !important; }
#reference [role="tab"].tab-redirect, #reference [role="tab"].tab-info { color: #ffe08a !important; }
#reference [role="tab"][aria-selected="true"] { color: #1a1a1a !important; }
#reference .schema-label-dark { color: #1f4fa3 !important; }
#reference .redoc-json .token.boolean, #reference .redoc-json .token.number { color: #ffb4ab !important; }
#reference .redoc-json .token.string { color: #a8e6b4 !important; }
#reference .redoc-json .token.null, #reference .redoc-json .token.keyword { color: #d7c4ff !important; }
#reference .redoc-json .token.punctuation, #reference .redoc-json .property { color: #ffffff !important; }
#reference img[src^="https://"] { display: none; }
`;

/**
 * Starts Redoc, makes its code panels reachable by keyboard and names its unlabeled select, and
 * runs the console: one operation at a time, prefilled from the document's examples; live keys
 * are refused here, writes carry an Idempotency-Key.
 */
export const DOCS_SCRIPT = `(() => {
  'use strict';
  const theme = ${JSON.stringify(THEME)};
  const reference = document.getElementById('reference');
  const fix = () => {
    for (const pre of reference.querySelectorAll('pre:not([tabindex])')) pre.setAttribute('tabindex', '0');
    for (const select of reference.querySelectorAll('select:not([aria-label])')) select.setAttribute('aria-label', 'Choose an example or content type');
    for (const label of reference.querySelectorAll('td div:not(.schema-label-dark)')) {
      if (label.childElementCount === 0 && /^(additional|pattern) property$/.test(label.textContent)) label.classList.add('schema-label-dark');
    }
  };
  new MutationObserver(fix).observe(reference, { childList: true, subtree: true });

  const $ = (id) => document.getElementById(id);
  const form = $('console-form'), select = $('console-operation'), result = $('console-result');
  const key = $('console-key'), consent = $('console-consent'), path = $('console-path'), body = $('console-body'), method = $('console-method');
  key.value = sessionStorage.getItem('puente-docs-key') || '';
  let operations = [];
  const resolve = (doc, node) => (node && node.$ref ? resolve(doc, node.$ref.split('/').slice(1).reduce((n, k) => n && n[k], doc)) : node);
  const exampleOf = (doc, node) => { const s = resolve(doc, node); return s && (s.example !== undefined ? s.example : s.examples && s.examples[0]); };
  const choose = () => {
    const op = operations[select.selectedIndex];
    if (!op) return;
    method.textContent = op.method;
    path.value = op.path;
    body.value = op.body === undefined ? '' : JSON.stringify(op.body, null, 2);
    body.disabled = op.body === undefined;
  };
  fetch('/openapi.json').then((r) => r.json()).then((doc) => {
    Redoc.init(doc, { theme, hideLoading: true, expandResponses: '200,201,202', hideDownloadButton: false, disableSearch: false }, reference, fix);
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
        const params = [...(item.parameters || []), ...(op.parameters || [])].map((x) => resolve(doc, x));
        let filled = p.replace(/\\{(\\w+)\\}/g, (_, name) => { const q = params.find((x) => x.in === 'path' && x.name === name); return encodeURIComponent(String((q && (q.example !== undefined ? q.example : exampleOf(doc, q.schema))) || name)); });
        const query = new URLSearchParams();
        for (const q of params.filter((x) => x.in === 'query' && x.name !== 'cursor' && x.name !== 'limit')) { const v = q.example !== undefined ? q.example : exampleOf(doc, q.schema); if (v !== undefined) query.set(q.name, String(v)); }
        if (String(query)) filled += '?' + query;
        const json = op.requestBody && resolve(doc, op.requestBody).content['application/json'];
        operations.push({ id: op.operationId, label: m.toUpperCase() + ' ' + p + ' (' + (op.summary || op.operationId) + ')', method: m.toUpperCase(), path: filled, body: json ? (json.example !== undefined ? json.example : exampleOf(doc, json.schema) || {}) : undefined });
      }
    }
    for (const op of operations) select.add(new Option(op.label, op.id));
    choose();
  }).catch((error) => { result.textContent = 'Could not load /openapi.json: ' + error; });
  select.addEventListener('change', choose);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const op = operations[select.selectedIndex];
    if (!op) return;
    const secret = key.value.trim();
    if (secret && !secret.startsWith('sk_test_')) { result.textContent = 'Use a test key (sk_test_…) here: live keys act on real procedures.'; key.focus(); return; }
    if (!path.value.startsWith('/')) { result.textContent = 'The path must start with /.'; path.focus(); return; }
    sessionStorage.setItem('puente-docs-key', secret);
    const headers = { accept: 'application/json' };
    if (secret) headers.authorization = 'Bearer ' + secret;
    if (consent.value.trim()) headers['puente-consent'] = consent.value.trim();
    let payload;
    if (op.body !== undefined) {
      try { payload = JSON.stringify(JSON.parse(body.value || '{}')); } catch (error) { result.textContent = 'The body is not valid JSON: ' + error.message; body.focus(); return; }
      headers['content-type'] = 'application/json';
    }
    if (op.method !== 'GET') headers['idempotency-key'] = crypto.randomUUID();
    result.textContent = 'Sending ' + op.method + ' ' + path.value + '…';
    try {
      const response = await fetch(path.value, { method: op.method, headers, body: payload });
      const text = await response.text();
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
      result.textContent = response.status + ' ' + response.statusText + '\\nrequest-id: ' + (response.headers.get('request-id') || '') + '\\n\\n' + shown;
    } catch (error) {
      result.textContent = 'The request failed: ' + error;
    }
  });
})();`;
