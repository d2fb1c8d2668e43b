import type { CalendarSnapshot } from '../../lib/calendar';
import { type PdfBlock, renderPdf } from '../../lib/pdf-document';
import type { DocumentRow } from '../documents/queries';
import { deadlinesOf } from './mappers';
import type { ProcedureRow, ReceiptRow } from './queries';

interface ReceiptContext {
  procedure: ProcedureRow;
  typeName: string;
  organization: { legal_name: string; nif: string };
  member: { name: string; id_number: string } | null;
  documents: Pick<DocumentRow, 'kind' | 'filename' | 'size_bytes' | 'sha256'>[];
  maxResolutionDate: string | null;
}

const madrid = new Intl.DateTimeFormat('es-ES', { timeZone: 'Europe/Madrid', dateStyle: 'long', timeStyle: 'medium' });

/** The justificante de presentación: what was filed, when, by whom, under which consent. */
function renderReceipt(ctx: ReceiptContext): Promise<Uint8Array> {
  const p = ctx.procedure;
  const blocks: PdfBlock[] = [
    { kind: 'heading', text: 'Justificante de presentación' },
    {
      kind: 'paragraph',
      text: 'Registro electrónico de Puente. Este documento acredita la presentación de la solicitud descrita a continuación.',
    },
    { kind: 'spacer' },
    { kind: 'field', label: 'Número de registro', value: p.registry_entry_number ?? '' },
    {
      kind: 'field',
      label: 'Fecha y hora de presentación',
      value: p.submitted_at ? `${madrid.format(p.submitted_at)} (hora peninsular)` : '',
    },
    { kind: 'field', label: 'Fecha de registro a efectos de plazos', value: p.registered_on ?? '' },
    { kind: 'field', label: 'Procedimiento', value: `${ctx.typeName} (${p.type})` },
    { kind: 'field', label: 'Plazo máximo para resolver y notificar', value: ctx.maxResolutionDate ?? 'Suspendido' },
    { kind: 'spacer' },
    { kind: 'heading', text: 'Solicitante' },
    { kind: 'field', label: 'DNI/NIE', value: p.citizen_id_number },
    { kind: 'field', label: 'Identificador en Puente', value: p.citizen_id },
    { kind: 'spacer' },
    { kind: 'heading', text: 'Representante' },
    { kind: 'field', label: 'Entidad', value: `${ctx.organization.legal_name} (NIF ${ctx.organization.nif})` },
    { kind: 'field', label: 'Profesional', value: ctx.member ? `${ctx.member.name} (${ctx.member.id_number})` : '' },
    { kind: 'field', label: 'Delegación', value: p.delegation_id },
    { kind: 'field', label: 'Token de consentimiento (jti)', value: p.filing_consent_jti ?? '' },
    {
      kind: 'paragraph',
      text: 'El token de consentimiento firmado se conserva con la solicitud y puede verificarse con las claves publicadas en /.well-known/jwks.json.',
    },
    { kind: 'spacer' },
    { kind: 'heading', text: 'Documentos aportados' },
    {
      kind: 'table',
      columns: ['Tipo', 'Fichero', 'Tamaño', 'SHA-256'],
      widths: [0.17, 0.25, 0.1, 0.48],
      rows: ctx.documents.map((d) => [d.kind, d.filename, `${d.size_bytes} B`, d.sha256]),
    },
  ];
  return renderPdf({
    title: `Justificante ${p.registry_entry_number ?? p.id}`,
    author: 'Puente',
    lang: 'es-ES',
    subject: `Presentación de ${ctx.typeName}`,
    createdAt: p.submitted_at ?? new Date(0),
    blocks,
  });
}

/**
 * The receipt of a filed procedure, from what `receiptPayload` read in one statement: the one
 * builder for the firm's download and the citizen's alike.
 */
export function receiptOf(row: ReceiptRow, today: string, cal: CalendarSnapshot): Promise<Uint8Array> {
  return renderReceipt({
    procedure: row,
    typeName: row.type_name,
    organization: { legal_name: row.organization_legal_name, nif: row.organization_nif },
    member: row.member_name && row.member_id_number ? { name: row.member_name, id_number: row.member_id_number } : null,
    documents: row.documents,
    maxResolutionDate: deadlinesOf(row, today, cal).max_resolution_date,
  });
}
