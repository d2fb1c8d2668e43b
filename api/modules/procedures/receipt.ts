import { renderPdf, type PdfBlock } from '../../lib/pdf-document';
import type { Sql } from '../../db/sql';
import { findProcedureType } from '../catalog/queries';
import { listDocuments, type DocumentRow } from '../documents/queries';
import { findMember } from '../members/queries';
import { findOrganization } from '../organizations/queries';
import { deadlinesOf } from './mappers';
import type { ProcedureRow } from './queries';

export interface ReceiptContext {
  procedure: ProcedureRow;
  typeName: string;
  organization: { legal_name: string; nif: string };
  member: { name: string; id_number: string } | null;
  documents: DocumentRow[];
  maxResolutionDate: string | null;
}

const madrid = new Intl.DateTimeFormat('es-ES', { timeZone: 'Europe/Madrid', dateStyle: 'long', timeStyle: 'medium' });

/** The justificante de presentación: what was filed, when, by whom, under which consent. */
export function renderReceipt(ctx: ReceiptContext): Promise<Uint8Array> {
  const p = ctx.procedure;
  const blocks: PdfBlock[] = [
    { kind: 'heading', text: 'Justificante de presentación' },
    { kind: 'paragraph', text: 'Registro electrónico de Puente. Este documento acredita la presentación de la solicitud descrita a continuación.' },
    { kind: 'spacer' },
    { kind: 'field', label: 'Número de registro', value: p.registry_entry_number ?? '' },
    { kind: 'field', label: 'Fecha y hora de presentación', value: p.submitted_at ? `${madrid.format(p.submitted_at)} (hora peninsular)` : '' },
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
    { kind: 'paragraph', text: 'El token de consentimiento firmado se conserva con la solicitud y puede verificarse con las claves publicadas en /.well-known/jwks.json.' },
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

/** The receipt of a filed procedure, with what it names read afresh: for the firm and for the citizen alike. */
export async function receiptOf(sql: Sql, row: ProcedureRow, today: string): Promise<Uint8Array> {
  const [type, organization, member, documents] = await Promise.all([
    findProcedureType(sql, row.type),
    findOrganization(sql, row.organization_id),
    row.submitted_by_member_id ? findMember(sql, row.organization_id, row.submitted_by_member_id) : Promise.resolve(undefined),
    listDocuments(sql, row.id),
  ]);
  return renderReceipt({
    procedure: row,
    typeName: type?.name_es ?? row.type,
    organization: { legal_name: organization!.legal_name, nif: organization!.nif },
    member: member ? { name: member.name, id_number: member.id_number } : null,
    documents,
    maxResolutionDate: deadlinesOf(row, today).max_resolution_date,
  });
}
