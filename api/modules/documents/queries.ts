import type { Sql, SqlFragment } from '../../db/sql';

export interface DocumentRow {
  id: string;
  procedure_id: string;
  kind: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  requirement_id: string | null;
  uploaded_by_member_id: string | null;
  created_at: Date;
}

const COLUMNS =
  'id, procedure_id, kind, filename, content_type, size_bytes, sha256, storage_key, requirement_id, uploaded_by_member_id, created_at';

/** Adds the document, and makes it a change of its procedure (`updated_at`, `version`), in one round trip. */
export async function insertDocument(
  sql: Sql,
  d: DocumentRow & { organization_id: string; livemode: boolean },
): Promise<void> {
  await sql`
    with added as (
      insert into documents (id, procedure_id, organization_id, livemode, kind, filename, content_type, size_bytes, sha256, storage_key,
        requirement_id, uploaded_by_member_id, created_at)
      values (${d.id}, ${d.procedure_id}, ${d.organization_id}, ${d.livemode}, ${d.kind}, ${d.filename}, ${d.content_type}, ${d.size_bytes},
        ${d.sha256}, ${d.storage_key}, ${d.requirement_id}, ${d.uploaded_by_member_id}, ${d.created_at})
      returning procedure_id
    )
    update procedures set updated_at = ${d.created_at}, version = version + 1 where id = (select procedure_id from added)`;
}

/** What an upload needs of the procedure under its lock: its state, and the open requirement a document answers. */
export interface DocumentTarget {
  id: string;
  organization_id: string;
  livemode: boolean;
  status: string;
  open_requirement_id: string | null;
  /**
   * How many documents it holds already: the row's own count, kept by a trigger with every insert
   * (migration 0100). Read from the locked row, so an upload that waited for the lock sees the one
   * committed before it, where a count(*) in this statement would still count with its snapshot.
   */
  documents: number;
}

/** The procedure a document is added to, locked for the rest of the transaction (not read whole). */
export async function lockForDocument(sql: Sql, procedureId: string): Promise<DocumentTarget> {
  const [row] = await sql<DocumentTarget[]>`
    select p.id, p.organization_id, p.livemode, p.status,
      (select r.id from requirements r where r.procedure_id = p.id and r.status = 'open' order by r.created_at, r.id limit 1) as open_requirement_id,
      p.document_count as documents
    from procedures p where p.id = ${procedureId}
    for update of p`;
  if (!row) throw new Error(`procedure ${procedureId} is not there inside its own transaction`);
  return row;
}

export function listDocuments(sql: Sql, procedureId: string): Promise<DocumentRow[]> {
  return sql<
    DocumentRow[]
  >`select ${sql.unsafe(COLUMNS)} from documents where procedure_id = ${procedureId} order by created_at, id`;
}

export async function findDocument(sql: Sql, procedureId: string, id: string): Promise<DocumentRow | undefined> {
  const [row] = await sql<
    DocumentRow[]
  >`select ${sql.unsafe(COLUMNS)} from documents where procedure_id = ${procedureId} and id = ${id}`;
  return row;
}

/** Every document of a procedure as the payload of a read through the consent gate (one row, documents as JSON). */
/** What an upload needs of its procedure, as the payload of the gate: its status as the gate read it, and the type's cap on one document. */
export interface UploadTargetRow {
  id: string;
  status: string;
  attachment_cap_bytes: number;
}

export function uploadTargetPayload(sql: Sql, procedureId: string) {
  return sql`
    select p.id, p.status, pt.attachment_cap_bytes from procedures p join procedure_types pt on pt.code = p.type
    where p.id = ${procedureId}`;
}

export function documentListPayload(sql: Sql, procedureId: string) {
  return sql`
    select coalesce((select json_agg(json_build_object('id', id, 'procedure_id', procedure_id, 'kind', kind, 'filename', filename,
                      'content_type', content_type, 'size_bytes', size_bytes, 'sha256', sha256, 'storage_key', storage_key,
                      'requirement_id', requirement_id, 'uploaded_by_member_id', uploaded_by_member_id, 'created_at', created_at) order by created_at, id)
                     from documents where procedure_id = ${procedureId}), '[]'::json) as documents`;
}

export function documentsFromJson(
  documents: Array<Omit<DocumentRow, 'created_at'> & { created_at: string }>,
): DocumentRow[] {
  return documents.map((d) => ({ ...d, created_at: new Date(d.created_at) }));
}

/**
 * One document, and its bytes when the storage keeps them in the database, as the payload of a
 * read through the consent gate (a download is then one round trip).
 */
export function documentExists(sql: Sql, procedureId: string, id: string) {
  return sql`exists (select 1 from documents where procedure_id = ${procedureId} and id = ${id})`;
}

export function documentPayload(sql: Sql, procedureId: string, id: string, content: SqlFragment | undefined) {
  return sql`
    select ${sql.unsafe(
      COLUMNS.split(', ')
        .map((c) => `d.${c}`)
        .join(', '),
    )}, ${content ?? sql`null::bytea`} as content
    from documents d where d.procedure_id = ${procedureId} and d.id = ${id}`;
}
