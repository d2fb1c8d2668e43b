import { stringify } from 'csv-stringify/sync';

import { renderPdf } from '../../lib/pdf-document';
import { REPLAYED } from '../access-log/actions';
import type { AccessLogFilter, AccessLogRow } from '../access-log/queries';
import { formatDay, formatMadridTime, type Lang, MESSAGES, type Messages } from './i18n';
import type { DelegationChoiceRow } from './queries';

/** One access-log row in words, as the page, the CSV and the PDF all show it. */
export interface AccessLogCells {
  when: string;
  organization: string;
  person: string;
  action: string;
  about: string;
}

export function actionText(t: Messages, action: string): string {
  const known = t.actions[action];
  if (known) return known;
  const replayed = action.endsWith(REPLAYED) ? t.actions[action.slice(0, -REPLAYED.length)] : undefined;
  return replayed ? t.replayedAction(replayed) : t.otherAction(action);
}

export function accessLogCells(lang: Lang, row: AccessLogRow): AccessLogCells {
  const t = MESSAGES[lang];
  return {
    when: formatMadridTime(lang, row.occurred_at),
    organization: row.organization_name,
    person:
      row.actor_type === 'citizen'
        ? t.actorYou
        : row.actor_type === 'agency'
          ? t.actorCaseworker(row.agency_managing_body ?? '', row.agency_office ?? '')
          : (row.member_name ?? t.unknownMember),
    action: actionText(t, row.action),
    about: aboutText(lang, row),
  };
}

/**
 * What an entry concerns, in words the citizen knows from their other pages: the resource and,
 * for anything of a procedure, its name and registry number. Ids mean nothing to a citizen; the
 * CSV keeps the entry's and the delegation's.
 */
function aboutText(lang: Lang, row: AccessLogRow): string {
  const t = MESSAGES[lang];
  if (!row.resource_type) return '—';
  const resource = t.resources[row.resource_type] ?? row.resource_type;
  const name = lang === 'es' ? row.procedure_name_es : row.procedure_name_en;
  return name ? t.aboutProcedure(resource, name, row.procedure_registry_number) : resource;
}

export function delegationStatusText(t: Messages, status: string): string {
  return (t.delegationStatus as Record<string, string>)[status] ?? status;
}

/** The filter in words, for the PDF's heading. */
export function filterParts(lang: Lang, filter: AccessLogFilter, choices: readonly DelegationChoiceRow[]): string[] {
  const t = MESSAGES[lang];
  const parts: string[] = [];
  if (filter.delegationId) {
    const d = choices.find((c) => c.id === filter.delegationId);
    parts.push(
      `${t.filterDelegation}: ${d ? t.delegationChoice(d.organization_name, formatDay(lang, d.valid_from), delegationStatusText(t, d.status)) : filter.delegationId}`,
    );
  }
  if (filter.fromDay) parts.push(`${t.filterFrom}: ${formatDay(lang, filter.fromDay)}`);
  if (filter.toDay) parts.push(`${t.filterTo}: ${formatDay(lang, filter.toDay)}`);
  return parts;
}

const FORMULA = /^[=+\-@\t\r]/;

/** RFC 4180 CSV with a header row: the page's columns in words, then the exact time, delegation and entry id. */
export function accessLogCsv(lang: Lang, rows: readonly AccessLogRow[]): string {
  const t = MESSAGES[lang];
  const header = [t.colWhen, t.colOrg, t.colMember, t.colAction, t.colResource, t.colIso, t.colDelegation, t.colId];
  const body = rows.map((row) => {
    const c = accessLogCells(lang, row);
    return [
      c.when,
      c.organization,
      c.person,
      c.action,
      c.about,
      row.occurred_at.toISOString(),
      row.delegation_id ?? '',
      row.id,
    ];
  });
  // A cell a spreadsheet would run as a formula (a name such as "=HYPERLINK(…)") is kept as text.
  return stringify([header, ...body], {
    record_delimiter: 'windows',
    cast: { string: (v) => (FORMULA.test(v) ? `'${v}` : v) },
  });
}

export function accessLogPdf(
  lang: Lang,
  rows: readonly AccessLogRow[],
  args: { citizenName: string | null; filter: string[]; now: Date },
): Promise<Uint8Array> {
  const t = MESSAGES[lang];
  return renderPdf({
    title: t.exportTitle,
    author: 'Puente',
    subject: t.accessLogCaption,
    lang: t.locale,
    createdAt: args.now,
    pageLabel: t.pageOf,
    blocks: [
      { kind: 'heading', text: t.exportTitle },
      ...(args.citizenName ? [{ kind: 'paragraph' as const, text: t.exportFor(args.citizenName) }] : []),
      { kind: 'paragraph', text: t.exportFilter(args.filter) },
      { kind: 'paragraph', text: t.exportMade(formatMadridTime(lang, args.now)) },
      { kind: 'spacer' },
      rows.length === 0
        ? { kind: 'paragraph', text: t.accessLogNone }
        : {
            kind: 'table',
            columns: [t.colWhen, t.colOrg, t.colMember, t.colAction, t.colResource],
            widths: [0.18, 0.22, 0.16, 0.24, 0.2],
            rows: rows.map((row) => {
              const c = accessLogCells(lang, row);
              return [c.when, c.organization, c.person, c.action, c.about];
            }),
          },
    ],
  });
}
