import type { z } from '@hono/zod-openapi';

import { toDocument } from '../documents/mappers';
import { toTimelineEntry } from '../procedures/mappers';
import type { HandledBySchema, LegalDateSchema, MyProcedureSchema, MyProcedureSummarySchema } from './schemas';
import type { LegalDate, MyProcedureDetail, MyProcedureSummary } from './service';

type Summary = z.infer<typeof MyProcedureSummarySchema>;
type Detail = z.infer<typeof MyProcedureSchema>;

const BASE = '/v1/me/procedures';

function toHandledBy(s: MyProcedureSummary): z.infer<typeof HandledBySchema> {
  return {
    organization: {
      id: s.holder.organization_id,
      legal_name: s.holder.organization_name,
      kind: s.holder.organization_kind as Summary['handled_by']['organization']['kind'],
    },
    delegation: {
      id: s.holder.delegation_id,
      status: s.holder.delegation_status as Summary['handled_by']['delegation']['status'],
    },
  };
}

export function toMyProcedureSummary(s: MyProcedureSummary): Summary {
  const p = s.procedure;
  return {
    id: p.id,
    object: 'my_procedure',
    livemode: p.livemode,
    type: p.type,
    status: p.status,
    handled_by: toHandledBy(s),
    registry_entry_number: p.registry_entry_number,
    managing_body: p.managing_body,
    submitted_at: p.submitted_at,
    registered_on: p.registered_on,
    deadlines: p.deadlines,
    resolution: p.resolution,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export function toLegalDate(d: LegalDate): z.infer<typeof LegalDateSchema> {
  return { code: d.code, date: 'date' in d ? d.date : null, silence: 'silence' in d ? d.silence : null };
}

export function toMyProcedure(d: MyProcedureDetail): Detail {
  const base = `${BASE}/${encodeURIComponent(d.row.id)}`;
  const open = d.openRequirement?.requirement;
  return {
    ...toMyProcedureSummary(d),
    requirements: d.procedure.requirements,
    open_requirement: open
      ? {
          id: open.id,
          kinds: open.kinds,
          missing_kinds: d.openRequirement!.missingKinds as Detail['requirements'][number]['kinds'],
          message: open.message,
          content_withheld: open.content_withheld,
          notified_at: open.notified_at,
          deadline: open.deadline,
          term_starts: open.term_starts,
          deemed_rejected_on: open.deemed_rejected_on,
          extended: open.extended,
        }
      : null,
    legal_dates: d.legalDates.map(toLegalDate),
    documents: d.documents.map((doc) => ({
      ...toDocument(doc),
      download_url: `${base}/documents/${encodeURIComponent(doc.id)}/content`,
    })),
    timeline: d.timeline.map(toTimelineEntry),
    receipt_url: d.row.registry_entry_number ? `${base}/receipt` : null,
  };
}
