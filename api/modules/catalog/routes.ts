import { z } from '@hono/zod-openapi';

import type { App } from '../../http/context';
import { defineRoute, jsonResponse } from '../../http/openapi';
import { ProblemError } from '../../http/problem';
import { formJsonSchema } from '../procedures/forms';
import { toProcedureType } from './mappers';
import { findProcedureType, listProcedureTypes } from './queries';
import type { ProcedureTypeCode } from './schemas';
import { ProcedureTypeListSchema, ProcedureTypeParams, ProcedureTypeSchema } from './schemas';

const formRoute = defineRoute({
  method: 'get',
  path: '/v1/procedure-types/{code}/form',
  operationId: 'retrieveProcedureTypeForm',
  tags: ['Procedure types'],
  summary: 'The application form of a type, as JSON Schema',
  description:
    'JSON Schema (2020-12) of the complete `form` a procedure of this type needs at submission, so case software can render and pre-validate it.',
  auth: 'public',
  request: { params: ProcedureTypeParams },
  responses: {
    200: {
      description: 'The JSON Schema.',
      content: { 'application/schema+json': { schema: z.record(z.string(), z.unknown()).openapi('JsonSchema') } },
    },
  },
});

const listRoute = defineRoute({
  method: 'get',
  path: '/v1/procedure-types',
  operationId: 'listProcedureTypes',
  tags: ['Procedure types'],
  summary: 'List the procedure catalogue',
  description:
    'Every benefit procedure Puente can file, with its required documents, legal maximum term and the confidence of each fact. Public.',
  auth: 'public',
  responses: {
    200: jsonResponse('The whole catalogue (one page).', ProcedureTypeListSchema),
  },
});

const retrieveRoute = defineRoute({
  method: 'get',
  path: '/v1/procedure-types/{code}',
  operationId: 'retrieveProcedureType',
  tags: ['Procedure types'],
  summary: 'Retrieve one procedure type',
  description:
    "One entry of the catalogue: the procedure's legal basis, managing body, the documents it needs (always and by circumstance), its maximum resolution term and the effect of administrative silence.",
  auth: 'public',
  request: { params: ProcedureTypeParams },
  responses: {
    200: jsonResponse('The procedure type.', ProcedureTypeSchema),
  },
});

export function registerCatalog(app: App): void {
  app.openapi(listRoute, async (c) => {
    const rows = await listProcedureTypes(c.get('sql'));
    return c.json({ data: rows.map(toProcedureType), has_more: false as const, next_cursor: null }, 200);
  });

  app.openapi(formRoute, async (c) => {
    const { code } = c.req.valid('param');
    const row = await findProcedureType(c.get('sql'), code.toUpperCase());
    if (!row) throw new ProblemError('not_found', `There is no procedure type with code "${code}".`);
    c.header('content-type', 'application/schema+json');
    return c.json(formJsonSchema(row.code as ProcedureTypeCode) as Record<string, never>, 200);
  });

  app.openapi(retrieveRoute, async (c) => {
    const { code } = c.req.valid('param');
    const row = await findProcedureType(c.get('sql'), code.toUpperCase());
    if (!row) throw new ProblemError('not_found', `There is no procedure type with code "${code}".`);
    return c.json(toProcedureType(row), 200);
  });
}
