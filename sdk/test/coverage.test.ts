import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Puente, operationMethods } from '../src';

const document = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string }>>;
};
const operationIds = Object.values(document.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));

describe('SDK surface', () => {
  it('has a method for every operation of the API document', () => {
    const missing = operationIds.filter((id) => !(id in operationMethods));
    expect(missing).toEqual([]);
    expect(Object.keys(operationMethods).sort()).toEqual([...operationIds].sort());
  });

  it('maps every operation to a function that exists on the client', () => {
    const client = new Puente({ apiKey: 'sk_test_x' }) as unknown as Record<string, unknown>;
    for (const [operation, path] of Object.entries(operationMethods)) {
      const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], client);
      expect(typeof fn, `${operation} → ${path}`).toBe('function');
    }
  });
});
