import type { Context } from 'hono';

import { citizenPrincipal } from '../../http/auth';
import type { App, AppEnv } from '../../http/context';
import { fileResponse, get, ok, optionalJsonBody, post, routesOf } from '../../http/openapi';
import { CREATED_KEY, decodeCursor, encodeCursor, SEQUENCE_KEY, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { toAccessLogEntry } from '../access-log/mappers';
import { AccessLogPageSchema, ListAccessLogQuery } from '../access-log/schemas';
import { findDelegationRequest } from '../delegation-requests/queries';
import { answeredRequest, requestPage } from '../delegation-requests/routes';
import {
  DelegationRequestPageSchema,
  DelegationRequestParams,
  DelegationRequestSchema,
  ListDelegationRequestsQuery,
} from '../delegation-requests/schemas';
import { toDelegation } from '../delegations/mappers';
import { delegationPage } from '../delegations/routes';
import { DelegationPageSchema, DelegationParams, DelegationSchema, ListDelegationsQuery } from '../delegations/schemas';
import { revokeDelegation } from '../delegations/service';
import { contentDisposition } from '../documents/files';
import { toTimeline } from '../procedures/mappers';
import { findProcedure } from '../procedures/queries';
import { ProcedureParams, TimelineSchema } from '../procedures/schemas';
import { listTimeline } from '../procedures/timeline.queries';
import { accessLogCsv, accessLogPdf, filterParts } from './access-log-view';
import { toMyProcedure, toMyProcedureSummary } from './mappers';
import { listDelegationChoices } from './queries';
import {
  AcceptMyDelegationRequestBody,
  ExportAccessLogQuery,
  ListMyProceduresQuery,
  MyDocumentParams,
  MyProcedurePageSchema,
  MyProcedureParams,
  MyProcedureSchema,
} from './schemas';
import {
  accessLogFilter,
  accessLogPage,
  type CitizenScope,
  downloadMyDocument,
  listMyProcedures as listMyProcedureSummaries,
  myProcedure,
  myReceipt,
  scopeOf,
  todayOf,
} from './service';

const PDF = { 'application/pdf': { schema: { type: 'string' as const, format: 'binary' } } };

/** Citizens see live requests; outside production also test-mode ones, so the sandbox flow can be tried by hand. */
export function citizenLivemodeFilter(c: Context<AppEnv>): boolean | undefined {
  return c.get('deps').config.env === 'production' ? true : undefined;
}

const routes = routesOf('Citizen', {
  listMyRequests: get('/v1/me/delegation-requests', {
    operationId: 'listMyDelegationRequests',
    summary: 'Requests addressed to me',
    description:
      'For the signed-in citizen: the delegation requests organisations have addressed to them, newest first, so they can accept or reject them.',
    auth: 'citizenRead',
    query: ListDelegationRequestsQuery,
    responses: ok('A page of requests for the signed-in citizen.', DelegationRequestPageSchema),
  }),
  acceptMyRequest: post('/v1/me/delegation-requests/{id}/accept', {
    operationId: 'acceptMyDelegationRequest',
    summary: 'Accept a request: grant the delegation',
    description:
      'For the signed-in citizen: accepts a pending request and grants the delegation with the scope asked for. Emits `delegation_request.accepted` to the organisation. ' +
      'A request whose scope includes `withdraw` (desisting from or renouncing applications on the citizen\'s behalf, which the law lets a representative do only with express consent) is accepted only with `{"confirm_withdraw": true}` in the body, the citizen\'s separate confirmation of that capacity; without it the answer is 422 `unprocessable` pointing at `/confirm_withdraw`, and nothing is granted. Other requests need no body. ' +
      'Refused with 403 `organization_not_practising` when the organisation is registered as a non-practising professional, who may not represent anyone.',
    auth: 'citizenWrite',
    params: DelegationRequestParams,
    body: optionalJsonBody(AcceptMyDelegationRequestBody),
    problems: [
      'invalid_state_transition',
      'delegation_request_expired',
      'conflict',
      'organization_not_practising',
      'unprocessable',
    ],
    responses: ok('The accepted request; `delegation_id` names the new delegation.', DelegationRequestSchema),
  }),
  rejectMyRequest: post('/v1/me/delegation-requests/{id}/reject', {
    operationId: 'rejectMyDelegationRequest',
    summary: 'Reject a request',
    description:
      'For the signed-in citizen: turns down a pending request; no delegation is created. Emits `delegation_request.rejected` to the organisation.',
    auth: 'citizenWrite',
    params: DelegationRequestParams,
    problems: ['invalid_state_transition', 'delegation_request_expired'],
    responses: ok('The rejected request.', DelegationRequestSchema),
  }),
  listMyDelegations: get('/v1/me/delegations', {
    operationId: 'listMyDelegations',
    summary: 'Delegations I have granted',
    description:
      'For the signed-in citizen: every delegation they have granted, active or ended, with the organisation and scope, so they can review or revoke it.',
    auth: 'citizenRead',
    query: ListDelegationsQuery,
    responses: ok('A page of delegations.', DelegationPageSchema),
  }),
  revokeMyDelegation: post('/v1/me/delegations/{id}/revoke', {
    operationId: 'revokeMyDelegation',
    summary: 'Revoke a delegation',
    description:
      "Takes effect on the organisation's very next request: consent tokens minted before stop working at once.",
    auth: 'citizenWrite',
    params: DelegationParams,
    problems: ['invalid_state_transition'],
    responses: ok('The revoked delegation.', DelegationSchema),
  }),
  myAccessLog: get('/v1/me/access-log', {
    operationId: 'listMyAccessLog',
    summary: 'Every access made on my behalf',
    description:
      'Append-only: who (organisation and member, or the citizen themself for their own downloads) did what, when, under which delegation. Newest first. ' +
      'Filter by delegation and by a period of Europe/Madrid days (`from` and `to`, both included).',
    auth: 'citizenRead',
    query: ListAccessLogQuery,
    responses: ok('A page of access-log entries.', AccessLogPageSchema),
  }),
  listMyProcedures: get('/v1/me/procedures', {
    operationId: 'listMyProcedures',
    summary: 'Procedures filed or drafted in my name',
    description:
      "By any representative, oldest first. A procedure stays in the list after its delegation is revoked or ends: it is the citizen's history.",
    auth: 'citizenRead',
    query: ListMyProceduresQuery,
    responses: ok('A page of procedures, oldest first.', MyProcedurePageSchema),
  }),
  retrieveMyProcedure: get('/v1/me/procedures/{id}', {
    operationId: 'retrieveMyProcedure',
    summary: 'One of my procedures: timeline, documents, requirement, resolution and legal dates',
    description:
      "Every date is a Europe/Madrid legal day computed by the same deadline code as the firms' `Procedure.deadlines`.",
    auth: 'citizenRead',
    params: MyProcedureParams,
    responses: ok('The procedure as the citizen sees it.', MyProcedureSchema),
  }),
  downloadMyDocument: get('/v1/me/procedures/{id}/documents/{document_id}/content', {
    operationId: 'downloadMyDocument',
    summary: 'Download a document of one of my procedures',
    description: "The exact bytes stored. The download is recorded in the citizen's own access log (`actor: citizen`).",
    auth: 'citizenRead',
    params: MyDocumentParams,
    responses: {
      200: fileResponse('The file as uploaded.', 'application/pdf', 'image/png', 'image/jpeg'),
    },
  }),
  myReceipt: get('/v1/me/procedures/{id}/receipt', {
    operationId: 'retrieveMyProcedureReceipt',
    summary: 'The filing receipt of one of my procedures, as PDF',
    description: "The same justificante the representative gets; the download is recorded in the citizen's access log.",
    auth: 'citizenRead',
    params: MyProcedureParams,
    problems: ['invalid_state_transition'],
    responses: { 200: fileResponse('The receipt.', 'application/pdf') },
  }),
  exportMyAccessLog: get('/v1/me/access-log/export', {
    operationId: 'exportMyAccessLog',
    summary: 'Export a page of my access log as CSV or PDF',
    description:
      'Takes the same filter and window (`delegation_id`, `from`, `to`, `cursor`, `limit`) as `GET /v1/me/access-log` and lists exactly the entries that list answers, in the same order.',
    auth: 'citizenRead',
    query: ExportAccessLogQuery,
    responses: {
      200: { description: 'The entries as a file.', content: { 'text/csv': { schema: { type: 'string' } }, ...PDF } },
    },
  }),
  myProcedureTimeline: get('/v1/me/procedures/{id}/timeline', {
    operationId: 'listMyProcedureTimeline',
    summary: 'The timeline of one of my procedures',
    description: 'For the signed-in citizen: the full history of one of their procedures, as the organisation sees it.',
    auth: 'citizenRead',
    params: ProcedureParams,
    responses: ok('Every change, oldest first.', TimelineSchema),
  }),
});

export async function myRequest(c: Context<AppEnv>, id: string) {
  const principal = citizenPrincipal(c);
  const row = await findDelegationRequest(
    c.get('sql'),
    { id, citizenId: principal.citizenId, livemode: citizenLivemodeFilter(c) },
    c.get('deps').clock.now(),
  );
  if (!row) throw new ProblemError('not_found', 'No such delegation request.');
  return row;
}

export function registerCitizen(app: App): void {
  app.openapi(routes.listMyRequests, async (c) => {
    const who = { citizenId: citizenPrincipal(c).citizenId, livemode: citizenLivemodeFilter(c) };
    return c.json(await requestPage(c, who, c.req.valid('query'), 'my_delegation_requests'), 200);
  });

  app.openapi(routes.acceptMyRequest, async (c) => {
    // The body is optional: without a JSON content type the validator leaves it unset.
    const body = c.req.valid('json') as { confirm_withdraw?: boolean } | undefined;
    const request = await myRequest(c, c.req.valid('param').id);
    const answer = { accept: true as const, confirmWithdraw: body?.confirm_withdraw === true };
    return c.json(await answeredRequest(c, request, answer), 200);
  });

  app.openapi(routes.rejectMyRequest, async (c) =>
    c.json(await answeredRequest(c, await myRequest(c, c.req.valid('param').id), 'reject'), 200),
  );

  app.openapi(routes.listMyDelegations, async (c) => {
    const who = { citizenId: citizenPrincipal(c).citizenId, livemode: citizenLivemodeFilter(c) };
    return c.json(await delegationPage(c, who, c.req.valid('query'), 'my_delegations'), 200);
  });

  app.openapi(routes.revokeMyDelegation, async (c) => {
    const principal = citizenPrincipal(c);
    const id = c.req.valid('param').id;
    const now = c.get('deps').clock.now();
    const who = { citizenId: principal.citizenId, livemode: citizenLivemodeFilter(c) };
    return c.json(toDelegation(await revokeDelegation(c.get('sql'), who, id, now)), 200);
  });

  app.openapi(routes.listMyProcedures, async (c) => {
    const scope = citizenScope(c);
    const { limit, cursor } = c.req.valid('query');
    const after = cursor ? decodeCursor('my_procedures', cursor, CREATED_KEY) : undefined;
    const cal = await c.get('deps').calendar.ensure(c.get('sql'));
    const rows = await listMyProcedureSummaries(c.get('sql'), scope, cal, { after, limit });
    return c.json(
      toPage(rows, limit, 'my_procedures', (s) => [s.row.created_at.toISOString(), s.row.id], toMyProcedureSummary),
      200,
    );
  });

  app.openapi(routes.retrieveMyProcedure, async (c) => {
    const scope = citizenScope(c);
    const cal = await c.get('deps').calendar.ensure(c.get('sql'));
    return c.json(toMyProcedure(await myProcedure(c.get('sql'), scope, cal, c.req.valid('param').id)), 200);
  });

  app.openapi(routes.downloadMyDocument, async (c) => {
    const { id, document_id } = c.req.valid('param');
    const { document, bytes } = await downloadMyDocument(
      c.get('sql'),
      citizenScope(c),
      id,
      document_id,
      c.get('requestId'),
      c.get('deps').documents,
    );
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': document.content_type,
      'content-length': String(bytes.length),
      'content-disposition': contentDisposition(document.filename),
      'x-content-type-options': 'nosniff',
    });
  });

  app.openapi(routes.myReceipt, async (c) => {
    const { row, pdf } = await myReceipt(
      c.get('sql'),
      citizenScope(c),
      c.get('deps').calendar,
      c.req.valid('param').id,
      c.get('requestId'),
    );
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': contentDisposition(`justificante-${row.registry_entry_number}.pdf`),
    });
  });

  app.openapi(routes.myProcedureTimeline, async (c) => {
    const principal = citizenPrincipal(c);
    const row = await findProcedure(c.get('sql'), {
      id: c.req.valid('param').id,
      citizenId: principal.citizenId,
      livemode: citizenLivemodeFilter(c),
    });
    if (!row) throw new ProblemError('not_found', 'No such procedure.');
    return c.json(toTimeline(await listTimeline(c.get('sql'), row.id)), 200);
  });

  app.openapi(routes.myAccessLog, async (c) => {
    const scope = citizenScope(c);
    const { limit, cursor, delegation_id, from, to } = c.req.valid('query');
    const filter = accessLogFilter(scope, { delegationId: delegation_id, from, to });
    const before = cursor ? decodeCursor('my_access_log', cursor, SEQUENCE_KEY)[0] : undefined;
    const { rows, older } = await accessLogPage(c.get('sql'), filter, { before, limit });
    return c.json(
      {
        data: rows.map(toAccessLogEntry),
        has_more: older !== undefined,
        next_cursor: older ? encodeCursor('my_access_log', [older]) : null,
      },
      200,
    );
  });

  app.openapi(routes.exportMyAccessLog, async (c) => {
    const scope = citizenScope(c);
    const { limit, cursor, delegation_id, from, to, format, lang = 'es' } = c.req.valid('query');
    const filter = accessLogFilter(scope, { delegationId: delegation_id, from, to });
    const before = cursor ? decodeCursor('my_access_log', cursor, SEQUENCE_KEY)[0] : undefined;
    const { rows } = await accessLogPage(c.get('sql'), filter, { before, limit });
    return sendAccessLogExport(c, scope, format, lang, filter, rows);
  });
}

function citizenScope(c: Context<AppEnv>): CitizenScope {
  return scopeOf(citizenPrincipal(c), citizenLivemodeFilter(c), c.get('deps').clock.now());
}

/** The CSV or PDF of access-log rows, for the JSON API and the page alike. */
export async function sendAccessLogExport(
  c: Context<AppEnv>,
  scope: CitizenScope,
  format: 'csv' | 'pdf',
  lang: 'es' | 'en',
  filter: Parameters<typeof filterParts>[1],
  rows: Parameters<typeof accessLogCsv>[1],
): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  const day = todayOf(scope);
  const name = lang === 'es' ? `registro-de-accesos-${day}` : `access-log-${day}`;
  if (format === 'csv') {
    return c.body(`\ufeff${accessLogCsv(lang, rows)}`, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': contentDisposition(`${name}.csv`),
    });
  }
  const principal = citizenPrincipal(c);
  const choices = filter.delegationId
    ? await listDelegationChoices(c.get('sql'), scope.citizenId, scope.livemode, day)
    : [];
  const pdf = await accessLogPdf(lang, rows, {
    citizenName: principal.name,
    filter: filterParts(lang, filter, choices),
    now: scope.now,
  });
  return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
    'content-type': 'application/pdf',
    'content-disposition': contentDisposition(`${name}.pdf`),
  });
}
