import { z } from '@hono/zod-openapi';

import { filePart, pathIdField } from '../../http/fields';
import { DocumentKindSchema } from '../catalog/schemas';

export const DOCUMENT_EXAMPLE = {
  id: 'doc_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8',
  object: 'document',
  procedure_id: 'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0',
  kind: 'DNI_NIE',
  filename: 'dni-carmen-lopez.pdf',
  content_type: 'application/pdf',
  size_bytes: 182311,
  sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  requirement_id: null,
  uploaded_by: 'mem_8Fq2LwP0sZ4nR7tY1xB5cV',
  created_at: '2026-03-02T10:25:00.000Z',
};

export const DocumentSchema = z
  .object({
    id: z.string(),
    object: z.literal('document'),
    procedure_id: z.string(),
    kind: DocumentKindSchema,
    filename: z.string(),
    content_type: z.enum(['application/pdf', 'image/png', 'image/jpeg']),
    size_bytes: z.number().int(),
    sha256: z.string().openapi({ description: 'Hex SHA-256 of the exact bytes stored; shown on the filing receipt.' }),
    requirement_id: z
      .string()
      .nullable()
      .openapi({ description: 'The requirement this document answers, if uploaded while one was open.' }),
    uploaded_by: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Document', { example: DOCUMENT_EXAMPLE });
export type DocumentResponse = z.infer<typeof DocumentSchema>;

export const UploadDocumentBody = z
  .object({
    kind: DocumentKindSchema,
    file: filePart('PDF, PNG or JPEG; checked by content, not by name. Size cap per procedure type.'),
  })
  .openapi('UploadDocumentRequest');

export const DocumentListSchema = z
  .object({ data: z.array(DocumentSchema), has_more: z.literal(false), next_cursor: z.null() })
  .openapi('DocumentList');

export const DocumentParams = z.object({
  id: pathIdField('id', 'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0'),
  document_id: pathIdField('document_id', 'doc_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8'),
});
