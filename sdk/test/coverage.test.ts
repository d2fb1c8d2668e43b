import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { operationMethods, Puente } from '../src';

const document = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};
const operationIds = Object.values(document.paths)
  .flatMap((item) => Object.values(item))
  .map((op) => op.operationId)
  .filter((id): id is string => typeof id === 'string');

describe('SDK coverage of openapi/openapi.json (run `npm run sdk:generate` after changing the API)', () => {
  it('maps every operation of the document, and nothing else', () => {
    expect(operationIds.filter((id) => !(id in operationMethods))).toEqual([]);
    expect(Object.keys(operationMethods).filter((id) => !operationIds.includes(id))).toEqual([]);
  });

  it('maps every operation to a function of the client', () => {
    const client = new Puente({ apiKey: 'sk_test_x' });
    for (const [operation, path] of Object.entries(operationMethods)) {
      const fn = path
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], client);
      expect(typeof fn, `${operation} → puente.${path}`).toBe('function');
    }
  });
});
