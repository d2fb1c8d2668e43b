// Regenerates src/generated/ from the committed OpenAPI document:
//   openapi.ts     the types (openapi-typescript), binary fields typed as Blob;
//   operations.ts  for every operation: how to call it, its SDK method name, and the typed
//                  signature of every resource namespace.
// Method names come from ./method-names.mjs (shared with the document's code samples).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

import { camel, HAND_WRITTEN, isPaginated, methodName, RESERVED, words } from './method-names.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const document = JSON.parse(readFileSync(here('../../openapi/openapi.json'), 'utf8'));
const banner = '// Generated from openapi/openapi.json by `npm run sdk:generate`. Do not edit.\n';

const BLOB = ts.factory.createTypeReferenceNode('Blob');
const ast = await openapiTS(document, {
  transform: (schema) => (schema.format === 'binary' ? BLOB : undefined),
});
writeFileSync(here('../src/generated/openapi.ts'), `${banner}/* eslint-disable */\n${astToString(ast)}`);

const resolve = (node) =>
  node?.$ref
    ? resolve(
        node.$ref
          .split('/')
          .slice(1)
          .reduce((n, k) => n[k], document),
      )
    : node;

const specs = {};
const methods = {};
const tree = {};
for (const [path, item] of Object.entries(document.paths)) {
  for (const [httpMethod, op] of Object.entries(item)) {
    if (httpMethod === 'parameters' || httpMethod.startsWith('x-')) continue;
    const id = op.operationId;
    if (!id || !op.tags?.[0]) throw new Error(`${httpMethod.toUpperCase()} ${path} needs an operationId and a tag`);
    const name = methodName(op.tags[0], id);
    if (RESERVED.has(name.split('.')[0]))
      throw new Error(`${id}: "${name}" clashes with a client member; add it to NAMES`);
    if (HAND_WRITTEN.has(name)) throw new Error(`${id}: "${name}" is a hand-written client method; add it to NAMES`);
    if (Object.values(methods).includes(name)) throw new Error(`${id}: "${name}" is taken; add it to NAMES`);
    methods[id] = name;

    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve);
    const query = params.filter((p) => p.in === 'query');
    const requestBody = resolve(op.requestBody);
    const successCode = Object.keys(op.responses).find((code) => code.startsWith('2'));
    const success = resolve(op.responses[successCode]);
    const mediaTypes = Object.keys(success?.content ?? {});
    const json = mediaTypes.find((t) => t.includes('json'));
    const spec = { method: httpMethod.toUpperCase(), path };
    // Every media type the body may be sent as: the transport sends each call as the one its body fits.
    if (requestBody) spec.body = Object.keys(requestBody.content);
    if (query.length) spec.query = true;
    if (isPaginated(document, op, item.parameters)) spec.paginated = true;
    if (mediaTypes.length && !json) spec.binary = true;
    if ((op.security ?? document.security ?? []).some((requirement) => 'Consent' in requirement)) spec.consent = true;
    specs[id] = spec;

    // The signature: path params in order, then the body, then the query, then options.
    const args = [...path.matchAll(/\{(\w+)\}/g)].map(([, p]) => ({
      name: camel(words(p)),
      type: 'string',
      optional: false,
    }));
    if (requestBody) args.push({ name: 'body', type: `Body<'${id}'>`, optional: !requestBody.required });
    if (query.length) args.push({ name: 'query', type: `Query<'${id}'>`, optional: !query.some((p) => p.required) });
    for (let i = args.length - 2; i >= 0; i--) if (!args[i + 1].optional) args[i].optional = false;
    args.push({ name: 'options', type: 'RequestOptions', optional: true });
    const result = spec.paginated
      ? `PagePromise<Result<'${id}'>>`
      : spec.binary
        ? 'Promise<Response>'
        : `Promise<Result<'${id}'>>`;
    const doc = [op.summary, op.description].filter(Boolean).join('\n\n').replaceAll('*/', '*\\/').split('\n');
    const signature = `${args.map((a) => `${a.name}${a.optional ? '?' : ''}: ${a.type}`).join(', ')}`;
    const keys = name.split('.');
    let node = tree;
    for (const key of keys.slice(0, -1)) node = node[key] ??= {};
    node[keys.at(-1)] =
      `/**\n${doc.map((l) => ` * ${l}`.trimEnd()).join('\n')}\n * @see operation \`${id}\`\n */\n${keys.at(-1)}(${signature}): ${result};`;
  }
}

const indent = (text, n) =>
  text
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');
const emit = (node) =>
  Object.entries(node)
    .map(([key, value]) => (typeof value === 'string' ? value : `${key}: {\n${indent(emit(value), 2)}\n};`))
    .join('\n');
const sorted = (object) => Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
const quote = (value) =>
  Array.isArray(value) ? `[${value.map(quote).join(', ')}]` : typeof value === 'string' ? `'${value}'` : String(value);
const literal = (object) =>
  `{\n${Object.entries(object)
    .map(
      ([k, v]) =>
        `  ${k}: ${
          typeof v === 'object' && !Array.isArray(v)
            ? `{ ${Object.entries(v)
                .map(([kk, vv]) => `${kk}: ${quote(vv)}`)
                .join(', ')} }`
            : quote(v)
        },`,
    )
    .join('\n')}\n}`;

writeFileSync(
  here('../src/generated/operations.ts'),
  `${banner}import type { PagePromise } from '../pagination';
import type { RequestOptions } from '../transport';
import type { Body, OperationSpec, Query, Result } from '../types';

/** How to call each operation of the API. */
export const OPERATIONS = ${literal(sorted(specs))} as const satisfies Record<string, OperationSpec>;

/** Every operation of the API and the client method that calls it. */
export const operationMethods = ${literal(sorted(methods))} as const;

/** The resource namespaces of the client. */
export interface Resources {
${indent(emit(tree), 2)}
}
`,
);
console.log(`generated ${Object.keys(specs).length} operations`);
