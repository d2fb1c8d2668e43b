import type { Sql } from '../../db/sql';
import { afterCommit, transaction } from '../../db/sql';
import type { Calendar } from '../../deps';
import { ProblemError } from '../../http/problem';
import {
  addBusinessDays,
  addMonths,
  addNaturalDays,
  assess,
  type CalendarSnapshot,
  CalendarUnavailableError,
  type CalendarWarning,
  impliedOfficeProvince,
  municipalityPlace,
  officePlace,
  type Place,
  type PlaceReport,
  regionPlace,
} from '../../lib/calendar';
import { type Confidence, type HolidayScope, REGION_NAMES, type RegionCode } from '../../lib/holidays';
import { REGION_CODES } from '../../lib/holidays';
import { newId } from '../../lib/ids';
import { legalDay } from '../../lib/legal-day';
import { emit } from '../events/emit';
import { followedProcedureIds } from '../procedures/queries';
import { recomputeCalendarDates } from '../procedures/service';
import {
  bumpCalendarVersion,
  deletePlaceHolidays,
  findYear,
  type HolidayInput,
  insertCalendarChange,
  insertHolidays,
  listPlaceHolidays,
  setChangeRecomputed,
  upsertLocalCoverage,
  upsertYear,
} from './queries';
import { readSnapshot } from './store';

/** Turns "no data for that year" into the API's loud refusal. */
export function withCalendar<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CalendarUnavailableError) {
      throw new ProblemError(
        'calendar_unavailable',
        `There is no holiday data for ${error.year}; the deadline cannot be computed safely.`,
        { extensions: { year: error.year } },
      );
    }
    throw error;
  }
}

function fieldProblem(pointer: string, detail: string): ProblemError {
  return new ProblemError('validation_failed', detail, { errors: [{ pointer, in: 'query', detail }] });
}

/**
 * The places of a query: the applicant (its municipality, or only its community) and the
 * deciding office's seat (the capital of `office_province`; by default the applicant's province, or
 * its community's when it has only one).
 */
export function queryPlaces(
  cal: CalendarSnapshot,
  q: { region?: RegionCode; municipality?: string; office_province?: string },
): Place[] {
  let applicant: Place = { role: 'applicant', region: null, province: null, municipality: null, area: null };
  if (q.municipality) {
    const place = municipalityPlace(cal, 'applicant', q.municipality);
    if (!place) throw fieldProblem('/municipality', `No municipality has the INE code ${q.municipality}.`);
    if (q.region && q.region !== place.region)
      throw fieldProblem('/region', `Municipality ${q.municipality} is in ${place.region}, not ${q.region}.`);
    applicant = place;
  } else if (q.region) {
    applicant = regionPlace('applicant', q.region);
  }
  const officeProvince = q.office_province ?? impliedOfficeProvince(cal, applicant);
  const office = officeProvince ? officePlace(cal, officeProvince) : undefined;
  return office ? [applicant, office] : [applicant];
}

export type DeadlineUnit = 'business_days' | 'months' | 'natural_days';

export function computeDeadline(
  cal: CalendarSnapshot,
  from: string,
  unit: DeadlineUnit,
  amount: number,
  places: readonly Place[],
) {
  const result = withCalendar(() =>
    unit === 'business_days'
      ? addBusinessDays(cal, from, amount, places)
      : unit === 'months'
        ? addMonths(cal, from, amount, places)
        : addNaturalDays(cal, from, amount, places),
  );
  const { places: reports, warnings } = assess(cal, places, result);
  if (!places.some((p) => p.role === 'office')) {
    warnings.push({
      code: 'office_unknown',
      message:
        "The deciding office's seat is not known: the days of its community and municipality (the provincial capital) were not counted, so the true deadline may be later. Give the office's province.",
    });
  }
  return { result, places: reports, warnings };
}

export interface ListedHoliday {
  date: string;
  name: string;
  reason: 'national_holiday' | 'regional_holiday' | 'local_holiday' | 'island_holiday' | 'territorial_holiday';
  scope: HolidayScope;
  place: { code: string; name: string };
  source: string;
  confidence: Confidence;
  partial: boolean;
  conflict: boolean;
}

/** Every holiday of a year that applies to a place (country, community minus what its area lifts, area, municipality). */
export function holidaysFor(
  cal: CalendarSnapshot,
  year: number,
  place: Place,
): { data: ListedHoliday[]; place: PlaceReport | null; warnings: CalendarWarning[] } {
  const coverage = cal.years.get(year);
  if (!coverage)
    throw new ProblemError('calendar_unavailable', `There is no holiday data for ${year}.`, { extensions: { year } });
  const inYear = (scope: HolidayScope, code: string | null) =>
    [...(cal.days.get(`${scope}:${code ?? ''}`) ?? new Map()).entries()]
      .filter(([date]) => date.startsWith(`${year}-`))
      .flatMap(([, rows]) => rows);
  const areaRows = place.area ? inYear('area', place.area) : [];
  const lifted = new Set(areaRows.filter((r) => r.kind === 'not_holiday').map((r) => r.date));
  const areaKind = place.area ? cal.areas.get(place.area)?.kind : undefined;
  const out: ListedHoliday[] = [];
  const push = (rows: ReturnType<typeof inYear>, reason: ListedHoliday['reason'], code: string, name: string) => {
    for (const r of rows) {
      if (r.kind !== 'holiday') continue;
      out.push({
        date: r.date,
        name: r.name,
        reason,
        scope: r.scope,
        place: { code, name },
        source: r.source,
        confidence: r.confidence,
        partial: r.partial,
        conflict: r.conflict,
      });
    }
  };
  push(inYear('national', null), 'national_holiday', 'ES', 'España');
  if (place.region)
    push(
      inYear('region', place.region).filter((r) => !lifted.has(r.date)),
      'regional_holiday',
      place.region,
      REGION_NAMES[place.region],
    );
  if (place.area)
    push(
      areaRows,
      areaKind === 'island' ? 'island_holiday' : 'territorial_holiday',
      place.area,
      cal.areas.get(place.area)?.name ?? place.area,
    );
  if (place.municipality)
    push(
      inYear('municipality', place.municipality),
      'local_holiday',
      place.municipality,
      cal.municipalities.get(place.municipality)?.name ?? place.municipality,
    );
  out.sort((a, b) => a.date.localeCompare(b.date));
  const day = `${year}-01-01`;
  const { places, warnings } = assess(cal, [place], {
    deadline: `${year}-12-31`,
    skipped: [],
    provisional: coverage.provisional,
    lowestConfidence: coverage.confidence,
    range: { from: day, to: `${year}-12-31` },
    conflicts: out.filter((h) => h.conflict).map((h) => ({ date: h.date, place: h.place.code })),
  });
  return { data: out, place: place.region || place.municipality ? places[0]! : null, warnings };
}

// ---------------------------------------------------------------------------------------------
// Changes by the platform administrator

export interface HolidayChange {
  year: number;
  scope: HolidayScope;
  code: string | null;
  mode: 'replace' | 'add';
  days: HolidayInput[];
  reason: string;
  /** National days only: the year's record (created if missing). */
  yearRecord?: { provisional: boolean; source: string; confidence: Confidence; note: string | null };
  /** Municipality only: whether the days given are all of that year's local days. */
  localCoverage?: { complete: boolean; note: string | null };
  now: Date;
}

function bodyProblem(
  pointer: string,
  detail: string,
  code: 'validation_failed' | 'conflict' = 'validation_failed',
): ProblemError {
  return new ProblemError(code, detail, { errors: [{ pointer, in: 'body', detail }] });
}

function checkPlace(cal: CalendarSnapshot, scope: HolidayScope, code: string | null): void {
  const known =
    scope === 'national'
      ? code === null
      : scope === 'region'
        ? (REGION_CODES as readonly string[]).includes(code ?? '')
        : scope === 'area'
          ? cal.areas.has(code ?? '')
          : cal.municipalities.has(code ?? '');
  if (!known) throw new ProblemError('not_found', `No ${scope} ${code}.`);
}

function checkDays(change: HolidayChange, existing: readonly HolidayInput[]): void {
  const seen = new Set<string>();
  change.days.forEach((d, i) => {
    if (!d.date.startsWith(`${change.year}-`))
      throw bodyProblem(`/days/${i}/date`, `The date must be in ${change.year}.`);
    if (seen.has(d.date)) throw bodyProblem(`/days/${i}/date`, `${d.date} is listed twice.`);
    seen.add(d.date);
    if (d.kind === 'not_holiday' && change.scope !== 'area')
      throw bodyProblem(`/days/${i}/kind`, 'Only an island or territory can lift a community day.');
    if (change.mode === 'add' && existing.some((e) => e.date === d.date)) {
      throw bodyProblem(
        `/days/${i}/date`,
        `${d.date} already has a day here; replace the set to change it.`,
        'conflict',
      );
    }
  });
}

/**
 * Adds or replaces the days of a year for one place, in one transaction: the calendar version is
 * bumped first (which also serialises concurrent changes), the change is recorded with who, why
 * and what was there before, the stored dates of the procedures it touches are recomputed, and
 * each organisation concerned receives a `calendar.holidays_changed` event.
 */
export async function changeHolidays(sql: Sql, store: Calendar, change: HolidayChange) {
  const before = await store.ensure(sql);
  checkPlace(before, change.scope, change.code);
  return transaction(sql, async (tx) => {
    const version = await bumpCalendarVersion(tx);
    if (change.yearRecord) {
      await upsertYear(tx, { year: change.year, ...change.yearRecord });
    } else if (!(await findYear(tx, change.year))) {
      throw new ProblemError(
        'calendar_unavailable',
        `There is no calendar for ${change.year} yet: set its national days first (PUT /v1/admin/calendar/years/${change.year}).`,
        { extensions: { year: change.year } },
      );
    }
    const existing = await listPlaceHolidays(tx, { year: change.year, scope: change.scope, code: change.code });
    checkDays(change, existing);
    if (change.mode === 'replace')
      await deletePlaceHolidays(
        tx,
        existing.map((e) => e.id),
      );
    const id = newId('cch');
    const after =
      change.mode === 'replace' ? change.days : [...existing.map(({ id: _id, ...rest }) => rest), ...change.days];
    await insertCalendarChange(tx, {
      id,
      occurred_at: change.now,
      actor: 'admin',
      reason: change.reason,
      year: change.year,
      scope: change.yearRecord ? 'year' : change.scope,
      code: change.code,
      mode: change.mode,
      before_count: existing.length,
      after_count: after.length,
      before: existing.map(({ id: _id, ...rest }) => rest),
      after,
      calendar_version: version,
    });
    await insertHolidays(tx, change.scope, change.code, id, change.days);
    if (change.scope === 'municipality') {
      await upsertLocalCoverage(tx, {
        ine: change.code!,
        year: change.year,
        complete: change.localCoverage?.complete ?? true,
        note: change.localCoverage?.note ?? null,
      });
    }
    const snapshot = await readSnapshot(tx);
    const recomputed = await recomputeCalendarDates(
      tx,
      snapshot,
      { scope: change.scope, code: change.code, year: change.year, changeId: id },
      change.now,
    );
    await setChangeRecomputed(tx, id, recomputed.length);
    // Each organisation hears only of the procedures it may still follow: not of a client whose
    // delegation has ended (the dates moved all the same).
    const followed = await followedProcedureIds(
      tx,
      recomputed.map((p) => p.id),
      legalDay(change.now),
    );
    const byOrganization = new Map<string, { organizationId: string; livemode: boolean; ids: string[] }>();
    for (const p of recomputed) {
      if (!followed.has(p.id)) continue;
      const key = `${p.organization_id}:${p.livemode}`;
      const entry = byOrganization.get(key) ?? { organizationId: p.organization_id, livemode: p.livemode, ids: [] };
      entry.ids.push(p.id);
      byOrganization.set(key, entry);
    }
    for (const entry of byOrganization.values()) {
      await emit(tx, {
        organizationId: entry.organizationId,
        livemode: entry.livemode,
        type: 'calendar.holidays_changed',
        data: {
          calendar_change_id: id,
          year: change.year,
          scope: change.scope,
          code: change.code,
          procedure_ids: entry.ids,
        },
        at: change.now,
      });
    }
    // Adopted once the change is committed (a request's transaction may still roll it back).
    afterCommit(tx, () => store.adopt(snapshot));
    return id;
  });
}
