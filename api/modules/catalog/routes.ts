import { z } from '@hono/zod-openapi';

import type { App } from '../../http/context';
import { get, ok, routesOf } from '../../http/openapi';
import { ProblemError } from '../../http/problem';
import { formJsonSchema } from '../procedures/forms';
import { toProcedureType } from './mappers';
import { findProcedureType, listProcedureTypes } from './queries';
import type { ProcedureTypeCode } from './schemas';
import { ProcedureTypeListSchema, ProcedureTypeParams, ProcedureTypeSchema } from './schemas';

const routes = routesOf('Procedure types', {
  form: get('/v1/procedure-types/{code}/form', {
    operationId: 'retrieveProcedureTypeForm',
    summary: 'The application form of a type, as JSON Schema',
    description:
      'JSON Schema (2020-12) of the complete `form` a procedure of this type needs at submission, so case software can render and pre-validate it.',
    auth: 'public',
    params: ProcedureTypeParams,
    responses: {
      200: {
        description: 'The JSON Schema.',
        content: { 'application/schema+json': { schema: z.record(z.string(), z.unknown()).openapi('JsonSchema') } },
      },
    },
  }),
  list: get('/v1/procedure-types', {
    operationId: 'listProcedureTypes',
    summary: 'List the procedure catalogue',
    description:
      'Every benefit procedure Puente can file, with its required documents, legal maximum term and the confidence of each fact. Public.',
    auth: 'public',
    responses: ok('The whole catalogue (one page).', ProcedureTypeListSchema),
  }),
  retrieve: get('/v1/procedure-types/{code}', {
    operationId: 'retrieveProcedureType',
    summary: 'Retrieve one procedure type',
    description:
      "One entry of the catalogue: the procedure's legal basis, managing body, the documents it needs (always and by circumstance), its maximum resolution term and the effect of administrative silence.",
    auth: 'public',
    params: ProcedureTypeParams,
    responses: ok('The procedure type.', ProcedureTypeSchema),
  }),
});

export function registerCatalog(app: App): void {
  app.openapi(routes.list, async (c) => {
    const rows = await listProcedureTypes(c.get('sql'));
    return c.json({ data: rows.map(toProcedureType), has_more: false as const, next_cursor: null }, 200);
  });

  app.openapi(routes.form, async (c) => {
    const { code } = c.req.valid('param');
    const row = await findProcedureType(c.get('sql'), code.toUpperCase());
    if (!row) throw new ProblemError('not_found', `There is no procedure type with code "${code}".`);
    // As documented: c.json would set its own application/json over a header set before it.
    return c.json(formJsonSchema(row.code as ProcedureTypeCode) as Record<string, never>, 200, {
      'content-type': 'application/schema+json',
    });
  });

  app.openapi(routes.retrieve, async (c) => {
    const { code } = c.req.valid('param');
    const row = await findProcedureType(c.get('sql'), code.toUpperCase());
    if (!row) throw new ProblemError('not_found', `There is no procedure type with code "${code}".`);
    return c.json(toProcedureType(row), 200);
  });
}
