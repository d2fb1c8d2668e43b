import type { z } from '@hono/zod-openapi';

import type { CalendarSnapshot } from '../../lib/calendar';
import { toDocument } from '../documents/mappers';
import { toProcedure, toTimelineEntry } from '../procedures/mappers';
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

export function toMyProcedureSummary(s: MyProcedureSummary, today: string, cal: CalendarSnapshot): Summary {
  const p = toProcedure(s.row, today, cal);
  return {
    id: p.id,
    object: 'my_procedure',
    livemode: p.livemode,
    type: p.type,
    status: p.status,
    handled_by: toHandledBy(s),
    registry_entry_number: p.registry_entry_number,
    submitted_at: p.submitted_at,
    registered_on: p.registered_on,
    deadlines: s.deadlines,
    resolution: p.resolution,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export function toLegalDate(d: LegalDate): z.infer<typeof LegalDateSchema> {
  return { code: d.code, date: 'date' in d ? d.date : null, silence: 'silence' in d ? d.silence : null };
}

export function toMyProcedure(d: MyProcedureDetail, today: string, cal: CalendarSnapshot): Detail {
  const base = `${BASE}/${encodeURIComponent(d.row.id)}`;
  const open = d.openRequirement;
  const requirements = toProcedure(d.row, today, cal).requirements;
  return {
    ...toMyProcedureSummary(d, today, cal),
    requirements,
    open_requirement: open
      ? {
          id: open.requirement.id,
          kinds: open.requirement.kinds as Detail['requirements'][number]['kinds'],
          missing_kinds: open.missingKinds as Detail['requirements'][number]['kinds'],
          message: open.requirement.message,
          notified_at: new Date(open.requirement.notified_at).toISOString(),
          deadline: open.deadline,
          extended: open.requirement.extended,
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
