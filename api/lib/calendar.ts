import { addDays, addMonths as addMonthsToDate } from './dates';
import type { AreaKind, Confidence, HolidayScope, RegionCode } from './holidays';
import { REGION_NAMES } from './holidays';

/**
 * The deadline engine (Ley 39/2015, art. 30): pure and synchronous over a `CalendarSnapshot`
 * loaded from the database. A day is inhábil for a procedure when it is a Saturday, a Sunday or a
 * holiday in the country, or in the community, island/territory or municipality of any of its
 * places (art. 30.6: the applicant's and the deciding office's seat).
 */

/** Raised whenever a computation touches a year without holiday data: never guess. */
export class CalendarUnavailableError extends Error {
  override name = 'CalendarUnavailableError';
  constructor(readonly year: number) {
    super(`No holiday data for ${year}`);
  }
}

export interface HolidayRow {
  date: string;
  scope: HolidayScope;
  code: string | null;
  kind: 'holiday' | 'not_holiday';
  name: string;
  source: string;
  confidence: Confidence;
  partial: boolean;
  conflict: boolean;
}
export interface YearCoverage {
  year: number;
  provisional: boolean;
  source: string;
  confidence: Confidence;
  note: string | null;
}
export interface Municipality {
  ine: string;
  name: string;
  province: string;
  region: RegionCode;
  area: string | null;
}
export interface Province {
  code: string;
  ine: string;
  name: string;
  region: RegionCode;
  /** INE code of the provincial capital, seat of the Dirección Provincial. */
  capital: string;
}
export interface Area {
  code: string;
  kind: AreaKind;
  region: RegionCode;
  name: string;
}
export interface LocalCoverage {
  complete: boolean;
  note: string | null;
}

export interface CalendarData {
  version: number;
  years: YearCoverage[];
  provinces: Province[];
  municipalities: Municipality[];
  areas: Area[];
  holidays: HolidayRow[];
  /** `ine:year` → what is known of that municipality's local days that year. */
  localCoverage: Array<{ ine: string; year: number } & LocalCoverage>;
  procedureTypes: ProcedureTypeTerms[];
}

/**
 * What the catalogue says of a procedure type that its procedures are answered with: the maximum
 * term to resolve and its legal source, and the groups of documents a filing needs (one of each
 * group). Kept with the calendar, so a page of procedures reads none of it per row; any change to
 * the catalogue bumps the calendar version (migration 0110), so every process reloads it.
 */
export interface ProcedureTypeTerms {
  code: string;
  max_term_value: number;
  max_term_unit: 'business_days' | 'months';
  legal_source: string;
  /**
   * How sure the catalogue is of the maximum term, on its own scale (C confirmed by an official text
   * or two sources, S one secondary source, U not confirmed), and why when it is not C.
   */
  confidence: 'C' | 'S' | 'U';
  confidence_note: string | null;
  required_documents: string[][];
}

export interface CalendarSnapshot {
  version: number;
  years: ReadonlyMap<number, YearCoverage>;
  provinces: ReadonlyMap<string, Province>;
  provincesByIne: ReadonlyMap<string, Province>;
  municipalities: ReadonlyMap<string, Municipality>;
  areas: ReadonlyMap<string, Area>;
  /** `scope:code` → date → rows. */
  days: ReadonlyMap<string, ReadonlyMap<string, readonly HolidayRow[]>>;
  localCoverage: ReadonlyMap<string, LocalCoverage>;
  procedureTypes: ReadonlyMap<string, ProcedureTypeTerms>;
  /** `ine:year` of municipalities whose rows hold only the main town's days. */
  partialLocal: ReadonlySet<string>;
  rowCount: number;
}

const keyOf = (scope: HolidayScope, code: string | null) => `${scope}:${code ?? ''}`;

export function buildSnapshot(data: CalendarData): CalendarSnapshot {
  const days = new Map<string, Map<string, HolidayRow[]>>();
  const partialLocal = new Set<string>();
  // Sources repeat across thousands of rows: keep one copy of each string.
  const interned = new Map<string, string>();
  const intern = (s: string) => interned.get(s) ?? (interned.set(s, s), s);
  for (const raw of data.holidays) {
    const row: HolidayRow = { ...raw, source: intern(raw.source), name: intern(raw.name) };
    const key = keyOf(row.scope, row.code);
    let byDate = days.get(key);
    if (!byDate) days.set(key, (byDate = new Map()));
    const list = byDate.get(row.date);
    if (list) list.push(row);
    else byDate.set(row.date, [row]);
    if (row.scope === 'municipality' && row.partial) partialLocal.add(`${row.code}:${row.date.slice(0, 4)}`);
  }
  return {
    version: data.version,
    years: new Map(data.years.map((y) => [y.year, y])),
    provinces: new Map(data.provinces.map((p) => [p.code, p])),
    provincesByIne: new Map(data.provinces.map((p) => [p.ine, p])),
    municipalities: new Map(data.municipalities.map((m) => [m.ine, m])),
    areas: new Map(data.areas.map((a) => [a.code, a])),
    days,
    localCoverage: new Map(
      data.localCoverage.map((c) => [`${c.ine}:${c.year}`, { complete: c.complete, note: c.note }]),
    ),
    procedureTypes: new Map(data.procedureTypes.map((t) => [t.code, t])),
    partialLocal,
    rowCount: data.holidays.length,
  };
}

/** A procedure type's terms as the calendar snapshot holds them (every type a procedure can have is in the catalogue). */
export function procedureTypeTerms(cal: CalendarSnapshot, code: string): ProcedureTypeTerms {
  const terms = cal.procedureTypes.get(code);
  if (!terms) throw new Error(`procedure type ${code} is not in the calendar snapshot`);
  return terms;
}

// ---------------------------------------------------------------------------------------------
// Places

export type PlaceRole = 'applicant' | 'office';

/** A place whose calendar counts. Any part may be unknown (null): the answer then says so. */
export interface Place {
  role: PlaceRole;
  region: RegionCode | null;
  province: string | null;
  /** INE 5-digit code. */
  municipality: string | null;
  area: string | null;
}

/** The place of a municipality (its province, community and island/territory come from the register). */
export function municipalityPlace(cal: CalendarSnapshot, role: PlaceRole, ine: string): Place | undefined {
  const m = cal.municipalities.get(ine);
  return m ? { role, region: m.region, province: m.province, municipality: m.ine, area: m.area } : undefined;
}

/** The Dirección Provincial of a province sits in its capital. */
export function officePlace(cal: CalendarSnapshot, provinceCode: string): Place | undefined {
  const p = cal.provinces.get(provinceCode);
  return p ? municipalityPlace(cal, 'office', p.capital) : undefined;
}

export function regionPlace(role: PlaceRole, region: RegionCode): Place {
  return { role, region, province: null, municipality: null, area: null };
}

/**
 * The province whose capital is the deciding office's seat when none is given: the applicant's,
 * or the only province of the applicant's community (Madrid, Asturias, Cantabria, La Rioja,
 * Murcia, Navarra, Illes Balears, Ceuta, Melilla). Undefined when it cannot be known.
 */
export function impliedOfficeProvince(cal: CalendarSnapshot, applicant: Place): string | undefined {
  if (applicant.province) return applicant.province;
  if (!applicant.region) return undefined;
  const provinces = [...cal.provinces.values()].filter((p) => p.region === applicant.region);
  return provinces.length === 1 ? provinces[0]!.code : undefined;
}

// ---------------------------------------------------------------------------------------------
// Days

export type SkipReason =
  | 'saturday'
  | 'sunday'
  | 'national_holiday'
  | 'regional_holiday'
  | 'local_holiday'
  | 'island_holiday'
  | 'territorial_holiday';

export interface SkippedPlace {
  /** `ES`, a community (`MD`), an island or territory (`tenerife`, `val_aran`, `bizkaia`) or an INE municipality code. */
  code: string;
  name: string;
  roles: PlaceRole[];
}
export interface SkippedDay {
  date: string;
  reason: SkipReason;
  name: string | null;
  place: SkippedPlace | null;
}

interface Match {
  row: HolidayRow;
  reason: SkipReason;
  roles: PlaceRole[];
}

const PRIORITY: Record<SkipReason, number> = {
  national_holiday: 0,
  regional_holiday: 1,
  island_holiday: 2,
  territorial_holiday: 2,
  local_holiday: 3,
  saturday: 4,
  sunday: 4,
};

/** The year of an ISO date, past 9999 too (`+010009-12-20`, as a count from year 9999 may reach). */
function yearOf(date: string): number {
  return Number(date.slice(0, date.indexOf('-', 1)));
}

export function coverageOf(cal: CalendarSnapshot, date: string): YearCoverage {
  const covered = cal.years.get(yearOf(date));
  if (!covered) throw new CalendarUnavailableError(yearOf(date));
  return covered;
}

function rowsOn(cal: CalendarSnapshot, scope: HolidayScope, code: string | null, date: string): readonly HolidayRow[] {
  return cal.days.get(keyOf(scope, code))?.get(date) ?? [];
}

/** Every holiday row that makes `date` inhábil for the places, with the places it holds in. */
function matchesOn(cal: CalendarSnapshot, date: string, places: readonly Place[]): Match[] {
  const found = new Map<HolidayRow, Match>();
  const add = (row: HolidayRow, reason: SkipReason, role: PlaceRole | null) => {
    let match = found.get(row);
    if (!match) found.set(row, (match = { row, reason, roles: [] }));
    if (role && !match.roles.includes(role)) match.roles.push(role);
  };
  for (const row of rowsOn(cal, 'national', null, date)) add(row, 'national_holiday', null);
  for (const place of places) {
    const areaRows = place.area ? rowsOn(cal, 'area', place.area, date) : [];
    // An area may lift a community day (Val d'Aran keeps 17 June instead of 26 December).
    const lifted = areaRows.some((r) => r.kind === 'not_holiday');
    if (place.region && !lifted)
      for (const row of rowsOn(cal, 'region', place.region, date)) add(row, 'regional_holiday', place.role);
    for (const row of areaRows) {
      if (row.kind === 'holiday')
        add(row, cal.areas.get(place.area!)?.kind === 'island' ? 'island_holiday' : 'territorial_holiday', place.role);
    }
    if (place.municipality)
      for (const row of rowsOn(cal, 'municipality', place.municipality, date)) add(row, 'local_holiday', place.role);
  }
  const matches = [...found.values()];
  for (const m of matches) if (m.reason === 'national_holiday') m.roles = [...new Set(places.map((p) => p.role))];
  return matches.sort((a, b) => PRIORITY[a.reason] - PRIORITY[b.reason]);
}

function placeOfMatch(cal: CalendarSnapshot, m: Match): SkippedPlace {
  const { scope, code } = m.row;
  const name =
    scope === 'national'
      ? 'España'
      : scope === 'region'
        ? (REGION_NAMES[code as RegionCode] ?? code!)
        : scope === 'area'
          ? (cal.areas.get(code!)?.name ?? code!)
          : (cal.municipalities.get(code!)?.name ?? code!);
  return { code: scope === 'national' ? 'ES' : code!, name, roles: m.roles };
}

interface DayVerdict {
  skipped: SkippedDay | null;
  matches: Match[];
}

/**
 * Verdicts already reached, per snapshot, places and date. A snapshot never changes, so neither
 * does a verdict on it; a term of 90 días hábiles judges some 130 days, on every read of the
 * procedure. Bounded: past `MAX_REMEMBERED` verdicts a snapshot's memory starts again.
 */
const remembered = new WeakMap<CalendarSnapshot, { size: number; byPlaces: Map<string, Map<string, DayVerdict>> }>();
const MAX_REMEMBERED = 100_000;

/** What identifies the places for a verdict (every field `judge` reads). */
function placesKey(places: readonly Place[]): string {
  let key = '';
  for (const p of places)
    key += `${p.role}:${p.region ?? ''}:${p.province ?? ''}:${p.municipality ?? ''}:${p.area ?? ''};`;
  return key;
}

function judge(cal: CalendarSnapshot, date: string, places: readonly Place[], key = placesKey(places)): DayVerdict {
  let memory = remembered.get(cal);
  if (!memory || memory.size >= MAX_REMEMBERED) remembered.set(cal, (memory = { size: 0, byPlaces: new Map() }));
  let verdicts = memory.byPlaces.get(key);
  if (!verdicts) memory.byPlaces.set(key, (verdicts = new Map()));
  let verdict = verdicts.get(date);
  if (!verdict) {
    verdict = judgeAfresh(cal, date, places);
    verdicts.set(date, verdict);
    memory.size++;
  }
  return verdict;
}

function judgeAfresh(cal: CalendarSnapshot, date: string, places: readonly Place[]): DayVerdict {
  coverageOf(cal, date);
  const matches = matchesOn(cal, date, places);
  const first = matches[0];
  if (first)
    return { skipped: { date, reason: first.reason, name: first.row.name, place: placeOfMatch(cal, first) }, matches };
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 6) return { skipped: { date, reason: 'saturday', name: null, place: null }, matches };
  if (weekday === 0) return { skipped: { date, reason: 'sunday', name: null, place: null }, matches };
  return { skipped: null, matches };
}

/** Why a day does not count (null when it is a working day for every place). */
export function nonWorkingReason(
  cal: CalendarSnapshot,
  date: string,
  places: readonly Place[] = [],
): SkippedDay | null {
  return judge(cal, date, places).skipped;
}

export function isBusinessDay(cal: CalendarSnapshot, date: string, places: readonly Place[] = []): boolean {
  return nonWorkingReason(cal, date, places) === null;
}

// ---------------------------------------------------------------------------------------------
// Deadlines

export interface DeadlineResult {
  deadline: string;
  skipped: SkippedDay[];
  provisional: boolean;
  /** Lowest grade of the data behind the date: the years' calendars and every holiday that moved it. */
  lowestConfidence: Confidence;
  /** First and last day examined (the day after the start, and the deadline). */
  range: { from: string; to: string };
  /** Dates where sources disagree and a day was kept as a holiday to be safe. */
  conflicts: Array<{ date: string; place: string }>;
}

const worse = (a: Confidence, b: Confidence): Confidence => (a > b ? a : b);

class Counter {
  skipped: SkippedDay[] = [];
  provisional = false;
  lowest: Confidence = 'A';
  conflicts: Array<{ date: string; place: string }> = [];
  private readonly placesKey: string;
  constructor(
    private readonly cal: CalendarSnapshot,
    private readonly places: readonly Place[],
    readonly start: string,
  ) {
    // The start itself is not examined (counting begins the next day): a term that starts on the
    // last day of a year without data, and ends in one with it, needs none of the first.
    this.placesKey = placesKey(places);
  }
  touch(date: string): void {
    const y = coverageOf(this.cal, date);
    this.provisional ||= y.provisional;
    this.lowest = worse(this.lowest, y.confidence);
  }
  /** True when `date` counts as a working day; records it otherwise. */
  working(date: string): boolean {
    this.touch(date);
    const verdict = judge(this.cal, date, this.places, this.placesKey);
    for (const m of verdict.matches) {
      this.lowest = worse(this.lowest, m.row.confidence);
      if (m.row.conflict) this.conflicts.push({ date, place: m.row.code ?? 'ES' });
    }
    if (verdict.skipped) this.skipped.push(verdict.skipped);
    return verdict.skipped === null;
  }
  result(deadline: string): DeadlineResult {
    this.touch(deadline);
    return {
      deadline,
      skipped: this.skipped,
      provisional: this.provisional,
      lowestConfidence: this.lowest,
      range: { from: addDays(this.start, 1), to: deadline },
      conflicts: this.conflicts,
    };
  }
}

/** The date itself when it is a working day, else the next one (e.g. filing on a Sunday, art. 31.2.b). */
export function nextBusinessDay(cal: CalendarSnapshot, date: string, places: readonly Place[] = []): string {
  let current = date;
  while (!isBusinessDay(cal, current, places)) current = addDays(current, 1);
  return current;
}

/** Días hábiles: counting starts the day after `from`; weekends and holidays do not count (art. 30.2). */
export function addBusinessDays(
  cal: CalendarSnapshot,
  from: string,
  n: number,
  places: readonly Place[] = [],
): DeadlineResult {
  const counter = new Counter(cal, places, from);
  let current = from;
  let counted = 0;
  while (counted < n) {
    current = addDays(current, 1);
    if (counter.working(current)) counted++;
  }
  return counter.result(current);
}

/**
 * A term that ends on a calendar date (`end(from, n)`): if that day is not a working one, the
 * next working day (art. 30.5).
 */
function endingOn(end: (from: string, n: number) => string) {
  return (cal: CalendarSnapshot, from: string, n: number, places: readonly Place[] = []): DeadlineResult => {
    const counter = new Counter(cal, places, from);
    let current = end(from, n);
    while (!counter.working(current)) current = addDays(current, 1);
    return counter.result(current);
  };
}

/** Months count date to date; a missing day is the month's last; a non-working end rolls forward (art. 30.4–30.5). */
export const addMonths = endingOn(addMonthsToDate);

/** Días naturales: every day counts, but a last day that is inhábil moves to the next hábil one (art. 30.5). */
export const addNaturalDays = endingOn(addDays);

/** Merges the results of the steps of one computation (e.g. a term plus the time a requirement suspended it). */
export function combineResults(deadline: string, parts: readonly DeadlineResult[]): DeadlineResult {
  return {
    deadline,
    skipped: parts.flatMap((p) => p.skipped),
    provisional: parts.some((p) => p.provisional),
    lowestConfidence: parts.reduce<Confidence>((acc, p) => worse(acc, p.lowestConfidence), 'A'),
    range: { from: parts[0]?.range.from ?? deadline, to: deadline },
    conflicts: parts.flatMap((p) => p.conflicts),
  };
}

// ---------------------------------------------------------------------------------------------
// What the answer rests on

export interface PlaceReport {
  role: PlaceRole;
  region: RegionCode | null;
  province: string | null;
  municipality: string | null;
  municipality_name: string | null;
  area: string | null;
  /** True only when the municipality's local days are known for every year the computation touched. */
  local_days_known: boolean;
}

export interface CalendarWarning {
  code:
    | 'region_unknown'
    | 'municipality_unknown'
    | 'local_days_unknown'
    | 'local_days_incomplete'
    | 'local_days_partial'
    | 'local_days_conflict'
    | 'provisional_calendar'
    | 'office_unknown'
    | 'term_unconfirmed';
  message: string;
}

function yearsBetween(from: string, to: string): number[] {
  const years: number[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++) years.push(y);
  return years;
}

const ROLE_LABEL: Record<PlaceRole, string> = { applicant: "The applicant's", office: "The deciding office's" };

/** The places a result used, and everything the reader must know about the data behind it. */
export function assess(
  cal: CalendarSnapshot,
  places: readonly Place[],
  result: DeadlineResult,
): { places: PlaceReport[]; warnings: CalendarWarning[] } {
  const years = yearsBetween(
    result.range.from < result.range.to ? result.range.from : result.range.to,
    result.range.to,
  );
  const warnings: CalendarWarning[] = [];
  const reports = places.map((p): PlaceReport => {
    const m = p.municipality ? cal.municipalities.get(p.municipality) : undefined;
    const unknownYears = m ? years.filter((y) => !cal.localCoverage.has(`${m.ine}:${y}`)) : years;
    if (!p.region) {
      warnings.push({
        code: 'region_unknown',
        message: `${ROLE_LABEL[p.role]} community is not known: only national days were counted for it.`,
      });
    } else if (!m) {
      warnings.push({
        code: 'municipality_unknown',
        message: `${ROLE_LABEL[p.role]} municipality is not known: its local (and island or territorial) days were not counted, so the true deadline may be later.`,
      });
    } else {
      if (unknownYears.length > 0) {
        warnings.push({
          code: 'local_days_unknown',
          message: `The local days of ${m.name} (${m.ine}) for ${unknownYears.join(', ')} are not known: they were not counted, so the true deadline may be up to two working days later.`,
        });
      }
      for (const y of years) {
        const c = cal.localCoverage.get(`${m.ine}:${y}`);
        if (c && !c.complete)
          warnings.push({
            code: 'local_days_incomplete',
            message: `${m.name} ${y}: ${c.note ?? 'some local days are missing.'}`,
          });
        if (cal.partialLocal.has(`${m.ine}:${y}`)) {
          warnings.push({
            code: 'local_days_partial',
            message: `${m.name} ${y}: the local days known are those of the main town; other localities of the municipality keep days of their own, not counted here.`,
          });
        }
      }
    }
    return {
      role: p.role,
      region: p.region,
      province: p.province,
      municipality: p.municipality,
      municipality_name: m?.name ?? null,
      area: p.area,
      local_days_known: m !== undefined && unknownYears.length === 0,
    };
  });
  for (const place of new Set(result.conflicts.map((c) => c.place))) {
    const dates = [...new Set(result.conflicts.filter((c) => c.place === place).map((c) => c.date))].join(', ');
    const name = cal.municipalities.get(place)?.name ?? place;
    warnings.push({
      code: 'local_days_conflict',
      message: `The calendar of ${name} is uncertain on ${dates}: sources disagree, and the day was counted as a holiday to be safe.`,
    });
  }
  if (result.provisional) {
    const provisional = years.filter((y) => cal.years.get(y)?.provisional);
    // What the year's data lacks (e.g. the communities' lists), as its coverage records it.
    const notes = provisional.flatMap((y) => {
      const note = cal.years.get(y)?.note;
      return note ? [` ${y}: ${note}`] : [];
    });
    warnings.push({
      code: 'provisional_calendar',
      message: `The calendar of ${provisional.join(', ')} is provisional: not yet published officially.${notes.join('')}`,
    });
  }
  // The applicant and the office in one municipality would state its gaps twice.
  const unique = new Map(warnings.map((w) => [`${w.code}\n${w.message}`, w]));
  return { places: reports, warnings: [...unique.values()] };
}

export const addCalendarDays = addDays;
