import type { Sql } from '../../db/sql';
import { inOrder, transaction } from '../../db/sql';
import type { Deps } from '../../deps';
import { fieldProblem, ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import { capacityAt, type ConsentNeed } from '../consent/gate';
import { assertTransition } from '../procedures/state-machine';
import { recordTimeline } from '../procedures/timeline.queries';
import { safeFilename, sniffType } from './files';
import { type DocumentRow, insertDocument, lockForDocument } from './queries';

/**
 * Documents answer a requirement while one is open (`respond`); otherwise they complete the filing
 * (`file`). The gate judges the capacity on the status it reads; `addDocument` reads the status
 * again under its lock, and a procedure that has moved to a state needing another capacity in
 * between is refused, never served with the wrong one.
 */
export const UPLOAD_NEED = {
  capacity: 'file',
  capacityWhile: { status: 'action_required', capacity: 'respond' },
} as const satisfies Pick<ConsentNeed, 'capacity' | 'capacityWhile'>;

/**
 * Stores a document after checking what it really is and its size against the procedure type's
 * cap. Bytes and metadata go in one transaction: a refused or failed upload stores nothing.
 */
/**
 * Documents one procedure holds, at most: well above any filing (its required documents and the
 * answers to its requirements), and what keeps a procedure's reads and its document list, which
 * is answered whole, bounded.
 */
export const MAX_DOCUMENTS_PER_PROCEDURE = 50;

export async function addDocument(
  sql: Sql,
  { documents: storage, sha256: hash }: Pick<Deps, 'documents' | 'sha256'>,
  args: {
    procedureId: string;
    /** The procedure's status as the consent gate read it (which set the capacity it checked). */
    gatedStatus: string;
    /** The procedure type's cap on one document. */
    capBytes: number;
    kind: string;
    file: File;
    declaredType: string;
    memberId: string;
    now: Date;
  },
): Promise<DocumentRow> {
  const bytes = new Uint8Array(await args.file.arrayBuffer());
  if (bytes.length === 0) throw fieldProblem('/file', 'The file is empty.');
  const { capBytes } = args;
  if (bytes.length > capBytes) {
    throw new ProblemError(
      'payload_too_large',
      `The file is ${bytes.length} bytes; this procedure type accepts at most ${capBytes} bytes per file.`,
      {
        errors: [{ pointer: '/file', in: 'body', detail: `At most ${capBytes} bytes.` }],
      },
    );
  }
  const actual = sniffType(bytes);
  if (!actual)
    throw new ProblemError('unsupported_media_type', 'Only PDF, PNG and JPEG files are accepted.', {
      errors: [{ pointer: '/file', in: 'body', detail: 'Not a PDF, PNG or JPEG file.' }],
    });
  if (args.declaredType && args.declaredType !== 'application/octet-stream' && args.declaredType !== actual) {
    throw new ProblemError(
      'unsupported_media_type',
      `The file was declared as ${args.declaredType} but its content is ${actual}.`,
      {
        errors: [{ pointer: '/file', in: 'body', detail: 'Declared type and content do not match.' }],
      },
    );
  }
  const sha256 = await hash(bytes);
  return transaction(sql, async (tx) => {
    const procedure = await lockForDocument(tx, args.procedureId);
    assertTransition(procedure.status, 'add_document');
    if (procedure.documents >= MAX_DOCUMENTS_PER_PROCEDURE)
      throw new ProblemError(
        'unprocessable',
        `A procedure holds at most ${MAX_DOCUMENTS_PER_PROCEDURE} documents, and this one has them; join pages into one PDF.`,
        {
          errors: [
            { pointer: '/file', in: 'body', detail: `At most ${MAX_DOCUMENTS_PER_PROCEDURE} documents a procedure.` },
          ],
        },
      );
    if (capacityAt(UPLOAD_NEED, procedure.status) !== capacityAt(UPLOAD_NEED, args.gatedStatus))
      throw new ProblemError('conflict', 'The procedure changed state during the upload; send it again.');
    const row: DocumentRow = {
      id: newId('doc'),
      procedure_id: procedure.id,
      kind: args.kind,
      filename: safeFilename(args.file.name, actual),
      content_type: actual,
      size_bytes: bytes.length,
      sha256,
      storage_key: `${procedure.id}/${newId('doc')}`,
      requirement_id: procedure.status === 'action_required' ? procedure.open_requirement_id : null,
      uploaded_by_member_id: args.memberId,
      created_at: args.now,
    };
    // Sent together (see `inOrder`). With the bytes in PostgreSQL, all three are statements of this
    // transaction and run in this order; any that fails fails the upload, and nothing is stored.
    await inOrder(
      storage.put(tx, row.storage_key, bytes),
      insertDocument(tx, { ...row, organization_id: procedure.organization_id, livemode: procedure.livemode }),
      recordTimeline(tx, {
        procedureId: procedure.id,
        at: args.now,
        actor: { type: 'member', id: args.memberId, name: null },
        action: 'document_added',
        details: { document_id: row.id, kind: row.kind, sha256, size_bytes: row.size_bytes },
      }),
    );
    return row;
  });
}
