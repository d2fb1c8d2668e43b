import { bodyLimit } from 'hono/body-limit';
import type { App } from '../../http/context';
import { defineRoute, SECURITY } from '../../http/openapi';
import { organizationPrincipal } from '../../http/auth';
import { stacks } from '../../http/stacks';
import { checkIfMatch, etagOf } from '../../http/etag';
import { decodeCursor, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { isoDay } from '../../lib/dates';
import { authorizeConsent } from '../consent/authorize';
import { findProcedureType } from '../catalog/queries';
import { findOrganization } from '../organizations/queries';
import { findMember } from '../members/queries';
import { DocumentListSchema, DocumentParams, DocumentSchema, UploadDocumentBody } from '../documents/schemas';
import { findDocument, listDocuments } from '../documents/queries';
import { toDocument } from '../documents/mappers';
import { addDocument } from '../documents/service';
import { postgresStorage } from '../documents/storage';
import { contentDisposition } from '../documents/files';
import type { ProcedureTypeCode } from '../catalog/schemas';
import {
  CreateProcedureBody,
  ListProceduresQuery,
  ProcedurePageSchema,
  ProcedureParams,
  ProcedureSchema,
  RequirementParams,
  RequirementResponseBody,
  TimelineSchema,
  UpdateProcedureBody,
} from './schemas';
import { findProcedure, listProcedures } from './queries';
import { listTimeline } from './timeline.queries';
import { createProcedure, respondToRequirement, submitProcedure, updateProcedureForm, withdrawProcedure } from './service';
import { deadlinesOf, toProcedure, toTimeline } from './mappers';
import { procedureUnderConsent } from './access';
import { renderReceipt } from './receipt';

const TAG = 'Procedures';
const AUTH = ['organization_suspended', 'live_mode_unavailable', 'forbidden'] as const;
const CONSENT = [
  'consent_required', 'consent_invalid', 'consent_signature_invalid', 'consent_key_unknown', 'consent_algorithm_not_allowed',
  'consent_expired', 'consent_not_yet_valid', 'consent_audience_mismatch', 'consent_issuer_mismatch', 'consent_actor_mismatch',
  'consent_mode_mismatch', 'delegation_inactive', 'scope_insufficient',
] as const;
const ONE = { 200: { description: 'The procedure.', content: { 'application/json': { schema: ProcedureSchema } } } };
/** The largest per-type attachment cap, plus room for the multipart envelope. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024 + 64 * 1024;

const createProcedureRoute = defineRoute({
  method: 'post',
  path: '/v1/procedures',
  operationId: 'createProcedure',
  tags: [TAG],
  summary: 'Start a procedure (draft) for the client of the consent token',
  description: 'Needs the `file` capacity for the type. The form may be incomplete; submission checks it in full.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgWrite('agent'),
  request: { body: { content: { 'application/json': { schema: CreateProcedureBody } }, required: true } },
  problems: [...AUTH, ...CONSENT, 'unprocessable', 'idempotency_conflict', 'idempotency_in_flight'],
  responses: { 201: { description: 'The draft.', content: { 'application/json': { schema: ProcedureSchema } } } },
});

const listProceduresRoute = defineRoute({
  method: 'get',
  path: '/v1/procedures',
  operationId: 'listProcedures',
  tags: [TAG],
  summary: 'List the organisation\'s procedures',
  description: 'Only procedures of clients the organisation still represents (an active delegation covering the type); most recently changed first. No consent token needed.',
  security: SECURITY.apiKey,
  middleware: stacks.orgRead(),
  request: { query: ListProceduresQuery },
  problems: [...AUTH, 'invalid_cursor'],
  responses: { 200: { description: 'A page of procedures.', content: { 'application/json': { schema: ProcedurePageSchema } } } },
});

const retrieveProcedureRoute = defineRoute({
  method: 'get',
  path: '/v1/procedures/{id}',
  operationId: 'retrieveProcedure',
  tags: [TAG],
  summary: 'Retrieve a procedure',
  description: 'With its deadlines computed for today. Answers an `ETag` to send as `If-Match` when updating.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgConsentedRead(),
  request: { params: ProcedureParams },
  problems: [...AUTH, ...CONSENT, 'not_found'],
  responses: ONE,
});

const updateProcedureRoute = defineRoute({
  method: 'patch',
  path: '/v1/procedures/{id}',
  operationId: 'updateProcedure',
  tags: [TAG],
  summary: 'Replace the form of a draft',
  description: 'Drafts only. Send the `ETag` of your last read as `If-Match` to avoid overwriting someone else\'s change (412 if it moved).',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgWrite('agent'),
  request: { params: ProcedureParams, body: { content: { 'application/json': { schema: UpdateProcedureBody } }, required: true } },
  problems: [...AUTH, ...CONSENT, 'not_found', 'precondition_failed', 'invalid_state_transition'],
  responses: ONE,
});

const submitRoute = defineRoute({
  method: 'post',
  path: '/v1/procedures/{id}/submit',
  operationId: 'submitProcedure',
  tags: [TAG],
  summary: 'File the procedure',
  description:
    'Checks the complete form and every required document (422 listing what is missing, and nothing changes). Assigns the registry entry number, the registration day ' +
    '(the next working day when filed on a non-working one) and the legal maximum date for the applicant\'s community, and keeps the consent token that authorised it.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgWrite('agent'),
  request: { params: ProcedureParams },
  problems: [...AUTH, ...CONSENT, 'not_found', 'invalid_state_transition', 'unprocessable', 'calendar_unavailable'],
  responses: ONE,
});

const withdrawRoute = defineRoute({
  method: 'post',
  path: '/v1/procedures/{id}/withdraw',
  operationId: 'withdrawProcedure',
  tags: [TAG],
  summary: 'Withdraw (desistimiento)',
  description: 'Needs the `withdraw` capacity, which the citizen must have granted explicitly.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgWrite('agent'),
  request: { params: ProcedureParams },
  problems: [...AUTH, ...CONSENT, 'not_found', 'invalid_state_transition'],
  responses: ONE,
});

const timelineRoute = defineRoute({
  method: 'get',
  path: '/v1/procedures/{id}/timeline',
  operationId: 'listProcedureTimeline',
  tags: [TAG],
  summary: 'Every change of a procedure',
  description: 'The audit trail of one procedure, oldest first: every status change, document, requirement and resolution, with who acted and when. Needs a consent token.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgRead(),
  request: { params: ProcedureParams },
  problems: [...AUTH, ...CONSENT, 'not_found'],
  responses: { 200: { description: 'The timeline, oldest first.', content: { 'application/json': { schema: TimelineSchema } } } },
});

const receiptRoute = defineRoute({
  method: 'get',
  path: '/v1/procedures/{id}/receipt',
  operationId: 'retrieveProcedureReceipt',
  tags: [TAG],
  summary: 'The filing receipt (justificante de presentación), as PDF',
  description: 'The justificante de presentación of a submitted procedure as a PDF, with the registry entry number and date. A draft has none yet (409 `invalid_state_transition`). Needs a consent token.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgRead(),
  request: { params: ProcedureParams },
  problems: [...AUTH, ...CONSENT, 'not_found', 'invalid_state_transition'],
  responses: { 200: { description: 'The receipt.', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } } },
});

const respondRoute = defineRoute({
  method: 'post',
  path: '/v1/procedures/{id}/requirements/{requirement_id}/response',
  operationId: 'respondToRequirement',
  tags: [TAG],
  summary: 'Answer a requirement (or ask once for 5 more días hábiles)',
  description: 'Upload the required documents first (while the procedure is `action_required`); answering resumes the resolution clock. Needs the `respond` capacity.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgWrite('agent'),
  request: { params: RequirementParams, body: { content: { 'application/json': { schema: RequirementResponseBody } }, required: true } },
  problems: [...AUTH, ...CONSENT, 'not_found', 'invalid_state_transition', 'unprocessable', 'conflict', 'calendar_unavailable'],
  responses: ONE,
});

const uploadRoute = defineRoute({
  method: 'post',
  path: '/v1/procedures/{id}/documents',
  operationId: 'uploadDocument',
  tags: [TAG],
  summary: 'Attach a document',
  description: 'multipart/form-data with `kind` and `file`. PDF, PNG or JPEG only, recognised by content; the size cap depends on the procedure type. SHA-256 recorded.',
  security: SECURITY.apiKeyWithConsent,
  // The size limit wraps the body stream, so it must come before anything reads the body (idempotency does).
  middleware: [
    bodyLimit({
      maxSize: MAX_UPLOAD_BYTES,
      onError: () => {
        throw new ProblemError('payload_too_large', 'The upload is larger than any procedure type accepts.');
      },
    }),
    ...stacks.orgWrite('agent'),
  ],
  request: { params: ProcedureParams, body: { content: { 'multipart/form-data': { schema: UploadDocumentBody } }, required: true } },
  problems: [...AUTH, ...CONSENT, 'not_found', 'invalid_state_transition'],
  responses: { 201: { description: 'The stored document.', content: { 'application/json': { schema: DocumentSchema } } } },
});

const listDocumentsRoute = defineRoute({
  method: 'get',
  path: '/v1/procedures/{id}/documents',
  operationId: 'listDocuments',
  tags: [TAG],
  summary: 'List a procedure\'s documents',
  description: 'The documents uploaded to one procedure, with kind, file name, size and SHA-256 digest, cursor-paginated. Needs a consent token.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgRead(),
  request: { params: ProcedureParams },
  problems: [...AUTH, ...CONSENT, 'not_found'],
  responses: { 200: { description: 'Every document, oldest first.', content: { 'application/json': { schema: DocumentListSchema } } } },
});

const documentContentRoute = defineRoute({
  method: 'get',
  path: '/v1/procedures/{id}/documents/{document_id}/content',
  operationId: 'downloadDocument',
  tags: [TAG],
  summary: 'Download a document\'s exact bytes',
  description: 'The exact bytes of an uploaded document, with its content type and file name; their SHA-256 digest is the one listed. Needs a consent token.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgRead(),
  request: { params: DocumentParams },
  problems: [...AUTH, ...CONSENT, 'not_found'],
  responses: {
    200: {
      description: 'The file as uploaded.',
      content: {
        'application/pdf': { schema: { type: 'string', format: 'binary' } },
        'image/png': { schema: { type: 'string', format: 'binary' } },
        'image/jpeg': { schema: { type: 'string', format: 'binary' } },
      },
    },
  },
});

export function registerProcedures(app: App): void {
  const today = (c: { get(k: 'deps'): { clock: { now(): Date } } }) => isoDay(c.get('deps').clock.now());

  app.openapi(createProcedureRoute, async (c) => {
    const principal = organizationPrincipal(c);
    const body = c.req.valid('json');
    const consent = await authorizeConsent(c, { capacity: 'file', procedureType: body.type, action: 'procedure.created', resourceType: 'procedure' });
    const sql = c.get('sql');
    const id = await createProcedure(sql, {
      organizationId: principal.organizationId,
      livemode: principal.livemode,
      memberId: principal.memberId,
      citizenId: consent.citizenId,
      delegationId: consent.delegationId,
      type: body.type,
      form: body.form ?? {},
      originalProcedureId: body.original_procedure_id,
      now: c.get('deps').clock.now(),
    });
    const row = (await findProcedure(sql, { id }))!;
    c.header('etag', etagOf(row.id, row.version));
    return c.json(toProcedure(row, today(c)), 201);
  });

  app.openapi(listProceduresRoute, async (c) => {
    const principal = organizationPrincipal(c);
    const { limit, cursor, status, type, updated_since } = c.req.valid('query');
    const after = cursor ? (decodeCursor('procedures', cursor, 2) as [string, string]) : undefined;
    const rows = await listProcedures(c.get('sql'), {
      organizationId: principal.organizationId,
      livemode: principal.livemode,
      today: today(c),
      status,
      type,
      updatedSince: updated_since ? new Date(updated_since) : undefined,
      after,
      limit,
    });
    const day = today(c);
    return c.json(toPage(rows, limit, 'procedures', (r) => [r.updated_at.toISOString(), r.id], (r) => toProcedure(r, day)), 200);
  });

  app.openapi(retrieveProcedureRoute, async (c) => {
    const { row } = await procedureUnderConsent(c, c.req.valid('param').id, 'consult', 'procedure.read');
    c.header('etag', etagOf(row.id, row.version));
    return c.json(toProcedure(row, today(c)), 200);
  });

  app.openapi(updateProcedureRoute, async (c) => {
    const { row } = await procedureUnderConsent(c, c.req.valid('param').id, 'file', 'procedure.updated');
    checkIfMatch(c, row.id, row.version);
    await updateProcedureForm(c.get('sql'), row, c.req.valid('json').form, organizationPrincipal(c).memberId, c.get('deps').clock.now());
    const updated = (await findProcedure(c.get('sql'), { id: row.id }))!;
    c.header('etag', etagOf(updated.id, updated.version));
    return c.json(toProcedure(updated, today(c)), 200);
  });

  app.openapi(submitRoute, async (c) => {
    const { row, consent } = await procedureUnderConsent(c, c.req.valid('param').id, 'file', 'procedure.submitted');
    await submitProcedure(c.get('sql'), {
      id: row.id,
      memberId: organizationPrincipal(c).memberId,
      consentToken: consent.token,
      consentJti: consent.claims.jti,
      now: c.get('deps').clock.now(),
    });
    return c.json(toProcedure((await findProcedure(c.get('sql'), { id: row.id }))!, today(c)), 200);
  });

  app.openapi(withdrawRoute, async (c) => {
    const { row } = await procedureUnderConsent(c, c.req.valid('param').id, 'withdraw', 'procedure.withdrawn');
    const principal = organizationPrincipal(c);
    await withdrawProcedure(c.get('sql'), row.id, { type: 'member', id: principal.memberId, name: null }, c.get('deps').clock.now());
    return c.json(toProcedure((await findProcedure(c.get('sql'), { id: row.id }))!, today(c)), 200);
  });

  app.openapi(timelineRoute, async (c) => {
    const { row } = await procedureUnderConsent(c, c.req.valid('param').id, 'consult', 'procedure.timeline_read');
    return c.json(toTimeline(await listTimeline(c.get('sql'), row.id)), 200);
  });

  app.openapi(receiptRoute, async (c) => {
    const { row } = await procedureUnderConsent(c, c.req.valid('param').id, 'consult', 'procedure.receipt_read');
    if (!row.registry_entry_number) {
      throw new ProblemError('invalid_state_transition', 'A draft has no filing receipt; submit it first.', { extensions: { current_state: row.status, allowed_from: ['submitted'] } });
    }
    const sql = c.get('sql');
    const [type, organization, member, documents] = await Promise.all([
      findProcedureType(sql, row.type),
      findOrganization(sql, row.organization_id),
      row.submitted_by_member_id ? findMember(sql, row.organization_id, row.submitted_by_member_id) : Promise.resolve(undefined),
      listDocuments(sql, row.id),
    ]);
    const pdf = renderReceipt({
      procedure: row,
      typeName: type?.name_es ?? row.type,
      organization: { legal_name: organization!.legal_name, nif: organization!.nif },
      member: member ? { name: member.name, id_number: member.id_number } : null,
      documents,
      maxResolutionDate: deadlinesOf(row, today(c)).max_resolution_date,
    });
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': contentDisposition(`justificante-${row.registry_entry_number}.pdf`),
    });
  });

  app.openapi(respondRoute, async (c) => {
    const { id, requirement_id } = c.req.valid('param');
    const body = c.req.valid('json');
    const { row } = await procedureUnderConsent(c, id, 'respond', body.request_extension ? 'requirement.extension_requested' : 'requirement.answered');
    await respondToRequirement(c.get('sql'), {
      procedureId: row.id,
      requirementId: requirement_id,
      message: body.message ?? null,
      extension: body.request_extension ?? false,
      memberId: organizationPrincipal(c).memberId,
      now: c.get('deps').clock.now(),
    });
    return c.json(toProcedure((await findProcedure(c.get('sql'), { id: row.id }))!, today(c)), 200);
  });

  app.openapi(uploadRoute, async (c) => {
    const { kind, file } = c.req.valid('form');
    if (!(file instanceof File)) {
      throw new ProblemError('validation_failed', 'Send the document as the `file` part of a multipart/form-data body.', {
        errors: [{ pointer: '/file', in: 'body', detail: 'Required file part.' }],
      });
    }
    const procedureId = c.req.valid('param').id;
    const principal = organizationPrincipal(c);
    const existing = await findProcedure(c.get('sql'), { id: procedureId, organizationId: principal.organizationId, livemode: principal.livemode });
    const capacity = existing?.status === 'action_required' ? 'respond' : 'file';
    const { row } = await procedureUnderConsent(c, procedureId, capacity, 'document.uploaded');
    const type = await findProcedureType(c.get('sql'), row.type as ProcedureTypeCode);
    const document = await addDocument(c.get('sql'), postgresStorage, {
      procedureId: row.id,
      kind,
      file,
      declaredType: file.type,
      memberId: principal.memberId,
      capBytes: type!.attachment_cap_bytes,
      now: c.get('deps').clock.now(),
    });
    return c.json(toDocument(document), 201);
  });

  app.openapi(listDocumentsRoute, async (c) => {
    const { row } = await procedureUnderConsent(c, c.req.valid('param').id, 'consult', 'documents.listed');
    return c.json({ data: (await listDocuments(c.get('sql'), row.id)).map(toDocument), has_more: false as const, next_cursor: null }, 200);
  });

  app.openapi(documentContentRoute, async (c) => {
    const { id, document_id } = c.req.valid('param');
    const { row } = await procedureUnderConsent(c, id, 'consult', 'document.downloaded');
    const document = await findDocument(c.get('sql'), row.id, document_id);
    if (!document) throw new ProblemError('not_found', 'No such document.');
    const bytes = await postgresStorage.get(c.get('sql'), document.storage_key);
    if (!bytes) throw new Error(`document ${document.id} has no stored content`);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': document.content_type,
      'content-length': String(bytes.length),
      'content-disposition': contentDisposition(document.filename),
      'x-content-type-options': 'nosniff',
      'digest': `sha-256=${btoa(String.fromCharCode(...(document.sha256.match(/../g) ?? []).map((h) => parseInt(h, 16))))}`,
    });
  });
}
