import type { DocumentRow } from './queries';
import type { DocumentResponse } from './schemas';

export function toDocument(row: DocumentRow): DocumentResponse {
  return {
    id: row.id,
    object: 'document',
    procedure_id: row.procedure_id,
    kind: row.kind as DocumentResponse['kind'],
    filename: row.filename,
    content_type: row.content_type as DocumentResponse['content_type'],
    size_bytes: row.size_bytes,
    sha256: row.sha256,
    requirement_id: row.requirement_id,
    uploaded_by: row.uploaded_by_member_id,
    created_at: row.created_at.toISOString(),
  };
}
