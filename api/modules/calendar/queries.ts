import { limitRows } from '../../db/fragments';
import type { Sql } from '../../db/sql';
import type { CalendarData, HolidayRow, ProcedureTypeTerms, YearCoverage } from '../../lib/calendar';
import type { HolidayScope } from '../../lib/holidays';

export async function readCalendarVersion(sql: Sql): Promise<number> {
  const [row] = await sql<{ version: string }[]>`select version::text as version from calendar_state`;
  return Number(row!.version);
}

/**
 * The calendar version current when a statement runs, as a column (`… as calendar_version`): a
 * statement that reads dates brings the version to compute them with (see `CalendarStore.ensure`).
 */
export function calendarVersion(sql: Sql) {
  return sql`(select version::int from calendar_state)`;
}

/** The calendar version as the payload of a read through the consent gate, for a write with nothing else to read first. */
export function calendarVersionPayload(sql: Sql) {
  return sql`select ${calendarVersion(sql)} as calendar_version`;
}

/** Everything the deadline engine needs: about 18,000 holiday rows, 8,132 municipalities, and each procedure type's terms. */
export async function loadCalendarData(sql: Sql): Promise<CalendarData> {
  for (;;) {
    const version = await readCalendarVersion(sql);
    const [years, provinces, municipalities, areas, holidays, localCoverage, procedureTypes] = await Promise.all([
      sql<YearCoverage[]>`select year, provisional, source, confidence, note from calendar_years order by year`,
      sql<CalendarData['provinces']>`
        select code, ine_code as ine, name, community_code as region, capital_ine_code as capital from provinces order by code`,
      sql<{ j: string }[]>`
        select coalesce(json_agg(json_build_array(ine_code, name, province_code, community_code, area_code)), '[]')::text as j from municipalities`,
      sql<CalendarData['areas']>`select code, kind, community_code as region, name from holiday_areas order by code`,
      // One JSON value rather than ten thousand rows: about a third faster to read and parse.
      sql<{ j: string }[]>`
        select coalesce(json_agg(json_build_array(to_char(date, 'YYYY-MM-DD'), scope, code, kind, name, source, confidence, partial, conflict)
          order by date, id), '[]')::text as j
        from holidays`,
      sql<
        { j: string }[]
      >`select coalesce(json_agg(json_build_array(ine_code, year, complete, note)), '[]')::text as j from local_holiday_coverage`,
      sql<ProcedureTypeTerms[]>`
        select code, max_term_value, max_term_unit, legal_source, confidence, confidence_note, required_documents
        from procedure_types order by code`,
    ]);
    // A change committed while reading: read again, so the snapshot matches its version.
    if ((await readCalendarVersion(sql)) !== version) continue;
    type M = [string, string, string, CalendarData['municipalities'][number]['region'], string | null];
    type H = [
      string,
      HolidayRow['scope'],
      string | null,
      HolidayRow['kind'],
      string,
      string,
      HolidayRow['confidence'],
      boolean,
      boolean,
    ];
    type L = [string, number, boolean, string | null];
    return {
      version,
      years: [...years],
      provinces: [...provinces],
      municipalities: (JSON.parse(municipalities[0]!.j) as M[]).map(([ine, name, province, region, area]) => ({
        ine,
        name,
        province,
        region,
        area,
      })),
      areas: [...areas],
      holidays: (JSON.parse(holidays[0]!.j) as H[]).map(
        ([date, scope, code, kind, name, source, confidence, partial, conflict]) => ({
          date,
          scope,
          code,
          kind,
          name,
          source,
          confidence,
          partial,
          conflict,
        }),
      ),
      localCoverage: (JSON.parse(localCoverage[0]!.j) as L[]).map(([ine, year, complete, note]) => ({
        ine,
        year,
        complete,
        note,
      })),
      procedureTypes: procedureTypes.map((t) => ({
        code: t.code,
        max_term_value: t.max_term_value,
        max_term_unit: t.max_term_unit,
        legal_source: t.legal_source,
        confidence: t.confidence,
        confidence_note: t.confidence_note,
        required_documents: t.required_documents,
      })),
    };
  }
}

export async function bumpCalendarVersion(sql: Sql): Promise<number> {
  const [row] = await sql<
    { version: string }[]
  >`update calendar_state set version = version + 1 returning version::text as version`;
  return Number(row!.version);
}

/** A day as the administrator adds it: a holiday row without its place (scope and code come with the change). */
export type HolidayInput = Omit<HolidayRow, 'scope' | 'code'>;

export async function listPlaceHolidays(
  sql: Sql,
  where: { year: number; scope: HolidayScope; code: string | null },
): Promise<Array<HolidayInput & { id: string }>> {
  return sql<Array<HolidayInput & { id: string }>>`
    select id::text as id, to_char(date, 'YYYY-MM-DD') as date, kind, name, source, confidence, partial, conflict
    from holidays
    where scope = ${where.scope} and code is not distinct from ${where.code}
      and date >= make_date(${where.year}::int, 1, 1) and date < make_date(${where.year}::int + 1, 1, 1)
    order by date, id
    for update`;
}

export async function deletePlaceHolidays(sql: Sql, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`delete from holidays where id = any(${`{${ids.join(',')}}`}::bigint[])`;
}

export async function insertHolidays(
  sql: Sql,
  scope: HolidayScope,
  code: string | null,
  changeId: string,
  rows: readonly HolidayInput[],
): Promise<void> {
  for (const r of rows) {
    await sql`
      insert into holidays (date, scope, code, kind, name, source, confidence, partial, conflict, change_id)
      values (${r.date}, ${scope}, ${code}, ${r.kind}, ${r.name}, ${r.source}, ${r.confidence}, ${r.partial}, ${r.conflict}, ${changeId})`;
  }
}

export async function findYear(sql: Sql, year: number): Promise<YearCoverage | undefined> {
  const [row] = await sql<
    YearCoverage[]
  >`select year, provisional, source, confidence, note from calendar_years where year = ${year} for update`;
  return row;
}

export async function upsertYear(sql: Sql, y: YearCoverage): Promise<void> {
  await sql`
    insert into calendar_years (year, provisional, source, confidence, note) values (${y.year}, ${y.provisional}, ${y.source}, ${y.confidence}, ${y.note})
    on conflict (year) do update set provisional = excluded.provisional, source = excluded.source, confidence = excluded.confidence, note = excluded.note`;
}

export async function upsertLocalCoverage(
  sql: Sql,
  c: { ine: string; year: number; complete: boolean; note: string | null },
): Promise<void> {
  await sql`
    insert into local_holiday_coverage (ine_code, year, complete, note) values (${c.ine}, ${c.year}, ${c.complete}, ${c.note})
    on conflict (ine_code, year) do update set complete = excluded.complete, note = excluded.note`;
}

export interface CalendarChangeRow {
  id: string;
  occurred_at: Date;
  actor: string;
  reason: string;
  year: number;
  scope: 'year' | HolidayScope;
  code: string | null;
  mode: 'replace' | 'add';
  before_count: number;
  after_count: number;
  before: unknown;
  after: unknown;
  calendar_version: string;
  procedures_recomputed: number;
}

export async function insertCalendarChange(
  sql: Sql,
  c: Omit<CalendarChangeRow, 'procedures_recomputed' | 'calendar_version'> & { calendar_version: number },
): Promise<void> {
  await sql`
    insert into calendar_changes (id, occurred_at, actor, reason, year, scope, code, mode, before_count, after_count, before, after, calendar_version)
    values (${c.id}, ${c.occurred_at}, ${c.actor}, ${c.reason}, ${c.year}, ${c.scope}, ${c.code}, ${c.mode}, ${c.before_count}, ${c.after_count},
      ${sql.json(c.before as never)}, ${sql.json(c.after as never)}, ${c.calendar_version})`;
}

export async function setChangeRecomputed(sql: Sql, id: string, count: number): Promise<void> {
  await sql`update calendar_changes set procedures_recomputed = ${count} where id = ${id}`;
}

export async function findCalendarChange(sql: Sql, id: string): Promise<CalendarChangeRow | undefined> {
  const [row] = await sql<CalendarChangeRow[]>`
    select id, occurred_at, actor, reason, year, scope, code, mode, before_count, after_count, before, after,
      calendar_version::text as calendar_version, procedures_recomputed
    from calendar_changes where id = ${id}`;
  return row;
}

export async function listCalendarChanges(
  sql: Sql,
  args: { after?: [string, string]; limit: number },
): Promise<CalendarChangeRow[]> {
  return sql<CalendarChangeRow[]>`
    select id, occurred_at, actor, reason, year, scope, code, mode, before_count, after_count, before, after,
      calendar_version::text as calendar_version, procedures_recomputed
    from calendar_changes
    ${args.after ? sql`where (occurred_at, id) < (${args.after[0]}::timestamptz, ${args.after[1]})` : sql``}
    order by occurred_at desc, id desc
    ${limitRows(sql, args.limit + 1)}`;
}

/** Procedures whose stored dates depend on the calendar: filed and not yet resolved, or with an open requirement. */
export async function listDatedProcedures(sql: Sql): Promise<Array<{ id: string }>> {
  return sql<Array<{ id: string }>>`
    select id from procedures where status in ('submitted', 'in_review', 'action_required') and registered_on is not null
    order by id for update`;
}
