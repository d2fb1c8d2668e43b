import { isPaginated, methodName } from '../../sdk/scripts/method-names.mjs';

/**
 * `x-codeSamples` for every operation, in curl and with the SDK, built from the examples the
 * document already holds (parameter examples, request body examples), so what the reference
 * shows is what the contract tests validate. Credentials come from environment variables.
 */
type Json = Record<string, any>;

export const SAMPLE_BASE_URL = 'http://localhost:3000';
export const SAMPLE_DELEGATION_ID = 'dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9';

const CREDENTIAL_VARIABLE: Record<string, string> = {
  ApiKey: 'PUENTE_API_KEY',
  AgencyKey: 'PUENTE_AGENCY_KEY',
  CitizenToken: 'PUENTE_CITIZEN_TOKEN',
  AdminToken: 'PUENTE_ADMIN_TOKEN',
};

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
const tsLiteral = (value: unknown, indent = 0) =>
  JSON.stringify(value, null, 2).replaceAll('\n', '\n' + ' '.repeat(indent));

function resolver(document: Json) {
  const resolve = (node: any): any =>
    node?.$ref
      ? resolve(
          node.$ref
            .split('/')
            .slice(1)
            .reduce((n: any, k: string) => n?.[k], document),
        )
      : node;
  return resolve;
}

function exampleOf(schema: any, resolve: (node: any) => any): unknown {
  const s = resolve(schema);
  if (!s) return undefined;
  if (s.example !== undefined) return s.example;
  if (s.examples?.[0] !== undefined) return s.examples[0];
  return undefined;
}

interface Parts {
  /** The success body is a file (a PDF, an image), not JSON. */
  file: boolean;
  path: string;
  pathArgs: string[];
  query: Record<string, unknown>;
  body?: { kind: 'json' | 'multipart'; value: Record<string, unknown>; binary: string[] };
  credentials: string[];
  consent: boolean;
}

function partsOf(document: Json, path: string, item: Json, op: Json): Parts {
  const resolve = resolver(document);
  const params: Json[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve);
  const pathArgs: string[] = [];
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const param = params.find((p) => p.in === 'path' && p.name === name);
    const value = String(param?.example ?? exampleOf(param?.schema, resolve) ?? name);
    pathArgs.push(value);
    return encodeURIComponent(value);
  });
  const query: Record<string, unknown> = {};
  for (const p of params.filter((p) => p.in === 'query' && p.name !== 'cursor')) {
    const value = p.example ?? exampleOf(p.schema, resolve);
    if (value !== undefined && (p.required || p.name !== 'limit')) query[p.name] = value;
  }
  let body: Parts['body'];
  const content = resolve(op.requestBody)?.content ?? {};
  const json = content['application/json'];
  const multipart = content['multipart/form-data'];
  if (json)
    body = {
      kind: 'json',
      value: (json.example ?? exampleOf(json.schema, resolve) ?? {}) as Record<string, unknown>,
      binary: [],
    };
  else if (multipart) {
    const schema = resolve(multipart.schema);
    const value: Record<string, unknown> = {
      ...((multipart.example ?? schema?.example ?? {}) as Record<string, unknown>),
    };
    const properties = Object.entries<any>(schema?.properties ?? {}).map(([k, p]) => [k, resolve(p)] as const);
    const binary = properties.filter(([, p]) => p?.format === 'binary').map(([k]) => k);
    for (const [key, p] of properties)
      if (!binary.includes(key) && value[key] === undefined && (p?.example ?? p?.enum?.[0]) !== undefined)
        value[key] = p.example ?? p.enum[0];
    for (const key of binary) delete value[key];
    body = { kind: 'multipart', value, binary };
  }
  const security: Array<Record<string, unknown>> = op.security ?? document.security ?? [];
  const schemes = security.flatMap((requirement) => Object.keys(requirement));
  const success = resolve(op.responses?.[Object.keys(op.responses ?? {}).find((code) => code.startsWith('2')) ?? '']);
  const mediaTypes = Object.keys(success?.content ?? {});
  return {
    file: mediaTypes.length > 0 && !mediaTypes.some((t) => t.includes('json')),
    path: filled,
    pathArgs,
    query,
    body,
    credentials: schemes.filter((s) => s in CREDENTIAL_VARIABLE),
    consent: schemes.includes('Consent'),
  };
}

function curlSample(method: string, parts: Parts): string {
  const search = new URLSearchParams(Object.entries(parts.query).map(([k, v]) => [k, String(v)])).toString();
  const url = `${SAMPLE_BASE_URL}${parts.path}${search ? `?${search}` : ''}`;
  const lines = [`curl -sS${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} "${url}"`];
  for (const credential of parts.credentials.slice(0, 1))
    lines.push(`-H "Authorization: Bearer $${CREDENTIAL_VARIABLE[credential]}"`);
  if (parts.consent) lines.push('-H "Puente-Consent: $PUENTE_CONSENT_TOKEN"');
  if (method !== 'get') lines.push('-H "Idempotency-Key: $(date +%s%N)"');
  if (parts.body?.kind === 'json') {
    lines.push('-H "Content-Type: application/json"');
    lines.push(`-d ${shellQuote(JSON.stringify(parts.body.value))}`);
  } else if (parts.body?.kind === 'multipart') {
    for (const [key, value] of Object.entries(parts.body.value))
      lines.push(`-F ${shellQuote(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)}`);
    for (const key of parts.body.binary) lines.push(`-F "${key}=@documento.pdf;type=application/pdf"`);
  }
  if (parts.file) lines.push('-o documento.pdf');
  return lines.join(' \\\n  ');
}

function sdkSample(tag: string, operationId: string, method: string, op: Json, parts: Parts, document: Json): string {
  const name = methodName(tag, operationId);
  const resolve = resolver(document);
  const credential = CREDENTIAL_VARIABLE[parts.credentials[0] ?? ''];
  const lines = ["import { Puente } from '@puente/sdk';", ''];
  lines.push(
    credential ? `const puente = new Puente({ apiKey: process.env.${credential} });` : 'const puente = new Puente();',
  );
  let receiver = 'puente';
  if (parts.consent) {
    lines.push(`// Mints and renews consent tokens from the client's delegation.`);
    lines.push(`const client = puente.forClient('${SAMPLE_DELEGATION_ID}');`);
    receiver = 'client';
  }
  const args = parts.pathArgs.map((v) => `'${v}'`);
  if (parts.body?.kind === 'json') args.push(tsLiteral(parts.body.value));
  else if (parts.body?.kind === 'multipart') {
    const fields = Object.entries(parts.body.value).map(([k, v]) => `  ${k}: ${JSON.stringify(v)},`);
    for (const key of parts.body.binary)
      fields.push(
        `  ${key}: await toFile(readFileSync('documento.pdf'), 'documento.pdf', { type: 'application/pdf' }),`,
      );
    // Sample text for the reader's program, not an import of this module.
    lines[0] = `import { readFileSync } from '${'node:fs'}';\nimport { Puente, toFile } from '@puente/sdk';`;
    args.push(`{\n${fields.join('\n')}\n}`);
  }
  if (Object.keys(parts.query).length) args.push(tsLiteral(parts.query));
  const call = `${receiver}.${name}(${args.join(', ')})`;
  const success = Object.keys(op.responses ?? {}).find((code) => code.startsWith('2'));
  const response = resolve(op.responses?.[success ?? '']);
  const mediaTypes = Object.keys(response?.content ?? {});
  const jsonResponse = mediaTypes.find((t) => t.includes('json'));
  const paginated = isPaginated(document, op);
  lines.push('');
  if (paginated) {
    lines.push(`// Awaited: the first page. Iterated: every item of every page.`);
    lines.push(`for await (const item of ${call}) {`, '  console.log(item.id);', '}');
  } else if (mediaTypes.length && !jsonResponse) {
    lines.push(`const response = await ${call};`, 'const bytes = new Uint8Array(await response.arrayBuffer());');
  } else if (!mediaTypes.length) {
    lines.push(`await ${call};`);
  } else {
    lines.push(`const result = await ${call};`, 'console.log(result);');
  }
  void method;
  return lines.join('\n');
}

/** Adds `x-codeSamples` (curl and TypeScript SDK) to every operation of the document. */
export function withCodeSamples<D extends Json>(document: D): D {
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method) || !op.operationId) continue;
      const parts = partsOf(document, path, item, op);
      op['x-codeSamples'] = [
        { lang: 'Shell', label: 'curl', source: curlSample(method, parts) },
        {
          lang: 'TypeScript',
          label: 'SDK',
          source: sdkSample(op.tags?.[0] ?? '', op.operationId, method, op, parts, document),
        },
      ];
    }
  }
  return document;
}
