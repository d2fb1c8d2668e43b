// Regenerates src/generated/ from the committed OpenAPI document: types (openapi-typescript) and
// the method and path of every operation.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const document = JSON.parse(readFileSync(here('../../openapi/openapi.json'), 'utf8'));
const banner = '// Generated from openapi/openapi.json by `npm run sdk:generate`. Do not edit.\n';

const ast = await openapiTS(document);
writeFileSync(here('../src/generated/openapi.ts'), banner + '/* eslint-disable */\n' + astToString(ast));

const operations = {};
for (const [path, item] of Object.entries(document.paths)) {
  for (const [method, op] of Object.entries(item)) operations[op.operationId] = { method: method.toUpperCase(), path };
}
const sorted = Object.fromEntries(Object.entries(operations).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(
  here('../src/generated/operations.ts'),
  `${banner}export const OPERATIONS = ${JSON.stringify(sorted, null, 2)} as const;\n\nexport type OperationId = keyof typeof OPERATIONS;\n`,
);
console.log(`generated ${Object.keys(sorted).length} operations`);
