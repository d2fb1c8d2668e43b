import { organizationPrincipal } from '../../http/auth';
import { limitBody } from '../../http/body-limit';
import type { App } from '../../http/context';
import { created, fileResponse, get, ok, post, routesOf } from '../../http/openapi';
import { consentedRead, consentedWrite, type ConsentNeed } from '../consent/gate';
import { ProcedureParams } from '../procedures/schemas';
import { documentHeaders } from './files';
import { toDocument } from './mappers';
import {
  documentExists,
  documentListPayload,
  documentPayload,
  type DocumentRow,
  documentsFromJson,
  uploadTargetPayload,
  type UploadTargetRow,
} from './queries';
import { DocumentListSchema, DocumentParams, DocumentSchema, UploadDocumentBody } from './schemas';
import { addDocument, UPLOAD_NEED } from './service';

/** The largest per-type attachment cap, plus room for the multipart envelope. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024 + 64 * 1024;

const routes = routesOf('Procedures', {
  upload: post('/v1/procedures/{id}/documents', {
    operationId: 'uploadDocument',
    summary: 'Attach a document',
    description:
      'multipart/form-data with `kind` and `file`. PDF, PNG or JPEG only, recognised by content; the size cap depends on the procedure type; a procedure holds at most 50 documents (422 `unprocessable` past that). SHA-256 recorded. While a requirement is open (`action_required`) the document answers it and needs the `respond` capacity; otherwise it completes the filing and needs `file`. A procedure that moves to a state needing the other capacity during the upload is refused with `conflict`; send it again.',
    auth: 'orgConsentedWrite',
    // The size limit wraps the body stream, so it must come before anything reads the body (idempotency does).
    before: [limitBody(MAX_UPLOAD_BYTES, 'The upload is larger than any procedure type accepts.')],
    params: ProcedureParams,
    body: { content: { 'multipart/form-data': { schema: UploadDocumentBody } }, required: true },
    problems: ['invalid_state_transition', 'conflict', 'unprocessable'],
    responses: created('The stored document.', DocumentSchema),
  }),
  listDocuments: get('/v1/procedures/{id}/documents', {
    operationId: 'listDocuments',
    summary: "List a procedure's documents",
    description:
      'The documents uploaded to one procedure, with kind, file name, size and SHA-256 digest: all of them in one page (a procedure holds at most 50). Needs a consent token.',
    auth: 'orgConsentedRead',
    params: ProcedureParams,
    responses: ok('Every document, oldest first.', DocumentListSchema),
  }),
  documentContent: get('/v1/procedures/{id}/documents/{document_id}/content', {
    operationId: 'downloadDocument',
    summary: "Download a document's exact bytes",
    description:
      'The exact bytes of an uploaded document, with its content type and file name; their SHA-256 digest is the one listed. Needs a consent token.',
    auth: 'orgConsentedRead',
    params: DocumentParams,
    responses: {
      200: fileResponse('The file as uploaded.', 'application/pdf', 'image/png', 'image/jpeg'),
    },
  }),
});

export function registerDocuments(app: App): void {
  app.openapi(routes.upload, async (c) => {
    const { kind, file } = c.req.valid('form');
    const procedureId = c.req.valid('param').id;
    const principal = organizationPrincipal(c);
    const document = await consentedWrite<UploadTargetRow, DocumentRow>(
      c,
      { ...UPLOAD_NEED, action: 'document.uploaded', procedureId },
      (tx) => uploadTargetPayload(tx, procedureId),
      (tx, row) =>
        addDocument(tx, c.get('deps'), {
          procedureId: row.id,
          gatedStatus: row.status,
          capBytes: row.attachment_cap_bytes,
          kind,
          file,
          declaredType: file.type,
          memberId: principal.memberId,
          now: c.get('deps').clock.now(),
        }),
    );
    return c.json(toDocument(document), 201);
  });

  app.openapi(routes.listDocuments, async (c) => {
    const id = c.req.valid('param').id;
    const { row } = await consentedRead<{ documents: Parameters<typeof documentsFromJson>[0] }>(
      c,
      { capacity: 'consult', action: 'documents.listed', procedureId: id },
      documentListPayload(c.get('sql'), id),
    );
    return c.json(
      { data: documentsFromJson(row!.documents).map(toDocument), has_more: false as const, next_cursor: null },
      200,
    );
  });

  app.openapi(routes.documentContent, async (c) => {
    const { id, document_id } = c.req.valid('param');
    const sql = c.get('sql');
    const need = {
      capacity: 'consult',
      action: 'document.downloaded',
      procedureId: id,
      resource: { type: 'document', id: document_id },
      resourceExists: documentExists(sql, id, document_id),
    } satisfies ConsentNeed;
    const { row } = await consentedRead<DocumentRow & { content: Uint8Array | null }>(
      c,
      need,
      documentPayload(sql, id, document_id, c.get('deps').documents.contentOf?.(sql)),
    );
    const document = row!;
    const bytes = document.content
      ? new Uint8Array(document.content)
      : await c.get('deps').documents.get(sql, document.storage_key);
    if (!bytes) throw new Error(`document ${document.id} has no stored content`);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, documentHeaders(document, bytes.length));
  });
}
