import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

import type { App, AppEnv } from '../../http/context';
import { get, jsonBody, ok, post, put, routesOf } from '../../http/openapi';
import { CREATED_KEY, decodeCursor, pageSchema, paginationQuery, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import type { HolidayScope } from '../../lib/holidays';
import { type CalendarChangeRow, findCalendarChange, type HolidayInput, listCalendarChanges } from './queries';
import {
  AddDaysBody,
  addDaysExample,
  AreaDaysParams,
  CalendarChangeSchema,
  ChangeParams,
  MunicipalityDaysParams,
  PLACE_DAYS_EXAMPLES,
  RegionDaysParams,
  ReplaceDaysBody,
  ReplaceMunicipalityDaysBody,
  ReplaceYearBody,
  YearParams,
} from './schemas';
import { changeHolidays } from './service';

const CHANGE_PROBLEMS = ['conflict', 'calendar_unavailable'] as const;

function toChange(r: CalendarChangeRow) {
  return {
    id: r.id,
    object: 'calendar_change' as const,
    occurred_at: r.occurred_at.toISOString(),
    actor: r.actor,
    reason: r.reason,
    year: r.year,
    scope: r.scope,
    code: r.code,
    mode: r.mode,
    before_count: r.before_count,
    after_count: r.after_count,
    before: r.before as HolidayInput[],
    after: r.after as HolidayInput[],
    calendar_version: Number(r.calendar_version),
    procedures_recomputed: r.procedures_recomputed,
  };
}

function placeRoutes<P extends z.ZodObject>(
  scope: Exclude<HolidayScope, 'national'>,
  segment: string,
  params: P,
  label: string,
) {
  const path = `/v1/admin/calendar/years/{year}/${segment}`;
  const name = scope.charAt(0).toUpperCase() + scope.slice(1);
  return routesOf('Admin', {
    replace: put(path, {
      operationId: `adminReplace${name}Holidays`,
      summary: `Replace the days of a year for ${label}`,
      description:
        'Every day of that year for that place is replaced by the list sent (an empty list removes them). Recorded with the reason and what was there before; dependent procedures recomputed.',
      auth: 'admin',
      params,
      body: jsonBody(
        scope === 'municipality' ? ReplaceMunicipalityDaysBody : ReplaceDaysBody,
        PLACE_DAYS_EXAMPLES[scope].replace,
      ),
      problems: [...CHANGE_PROBLEMS],
      responses: ok('The recorded change.', CalendarChangeSchema),
    }),
    add: post(`${path}/days`, {
      operationId: `adminAdd${name}Holidays`,
      summary: `Add days of a year for ${label}`,
      description: 'Adds the days sent; a date that already has a day there answers 409 (replace the set instead).',
      auth: 'admin',
      params,
      body: jsonBody(AddDaysBody, addDaysExample(scope)),
      problems: [...CHANGE_PROBLEMS],
      responses: ok('The recorded change.', CalendarChangeSchema),
    }),
  });
}

const REGION = placeRoutes('region', 'regions/{region}', RegionDaysParams, 'a community');
const AREA = placeRoutes('area', 'areas/{area}', AreaDaysParams, 'an island or territory');
const MUNICIPALITY = placeRoutes(
  'municipality',
  'municipalities/{municipality}',
  MunicipalityDaysParams,
  'a municipality',
);

const routes = routesOf('Admin', {
  year: put('/v1/admin/calendar/years/{year}', {
    operationId: 'adminReplaceCalendarYear',
    summary: "Create or replace a year's calendar and its national days",
    description:
      "A year exists for deadlines only once it has its national days: this sets them, with the year's source, grade and `provisional` flag (false once the BOE resolution is out). " +
      'Recorded with the reason; the stored dates of dependent procedures are recomputed and each organisation concerned gets a `calendar.holidays_changed` event.',
    auth: 'admin',
    params: YearParams,
    body: ReplaceYearBody,
    problems: [...CHANGE_PROBLEMS],
    responses: ok('The recorded change.', CalendarChangeSchema),
  }),
  listChanges: get('/v1/admin/calendar/changes', {
    operationId: 'adminListCalendarChanges',
    summary: 'Every change made to the calendar, newest first',
    description:
      'The record of every calendar change: who made it, why, the days before and after, and how many procedures had their stored dates recomputed. Cursor-paginated.',
    auth: 'admin',
    query: z.object({ ...paginationQuery }).strict(),
    responses: ok('A page of changes.', pageSchema(CalendarChangeSchema, 'CalendarChangeList')),
  }),
  retrieveChange: get('/v1/admin/calendar/changes/{id}', {
    operationId: 'adminRetrieveCalendarChange',
    summary: 'Retrieve a calendar change',
    description:
      'One recorded calendar change with its reason, the days before and after, the calendar version it produced and the number of procedures recomputed.',
    auth: 'admin',
    params: ChangeParams,
    responses: ok('The recorded change.', CalendarChangeSchema),
  }),
});

type DayBody = {
  days: Array<Omit<HolidayInput, 'kind' | 'partial' | 'conflict'> & Partial<HolidayInput>>;
  reason: string;
};
const days = (body: DayBody): HolidayInput[] =>
  body.days.map((d) => ({
    date: d.date,
    kind: d.kind ?? 'holiday',
    name: d.name,
    source: d.source,
    confidence: d.confidence,
    partial: d.partial ?? false,
    conflict: d.conflict ?? false,
  }));

async function respond(c: Context<AppEnv>, id: string) {
  const row = await findCalendarChange(c.get('sql'), id);
  return toChange(row!);
}

/** Registered with the other platform-administration routes (only when an admin token is configured). */
export function registerCalendarAdmin(app: App): void {
  app.openapi(routes.year, async (c) => {
    const { year } = c.req.valid('param');
    const body = c.req.valid('json');
    const { deps } = { deps: c.get('deps') };
    const id = await changeHolidays(c.get('sql'), deps.calendar, {
      year,
      scope: 'national',
      code: null,
      mode: 'replace',
      days: days({ days: body.national_days, reason: body.reason }),
      reason: body.reason,
      yearRecord: {
        provisional: body.provisional,
        source: body.source,
        confidence: body.confidence,
        note: body.note ?? null,
      },
      now: deps.clock.now(),
    });
    return c.json(await respond(c, id), 200);
  });

  const places = [
    { scope: 'region' as const, routes: REGION, code: (p: Record<string, unknown>) => p.region as string },
    { scope: 'area' as const, routes: AREA, code: (p: Record<string, unknown>) => p.area as string },
    {
      scope: 'municipality' as const,
      routes: MUNICIPALITY,
      code: (p: Record<string, unknown>) => p.municipality as string,
    },
  ];
  for (const { scope, routes, code } of places) {
    for (const mode of ['replace', 'add'] as const) {
      app.openapi(routes[mode], async (c: Context<AppEnv>) => {
        const params = (c.req as unknown as { valid(t: 'param'): Record<string, unknown> & { year: number } }).valid(
          'param',
        );
        const body = (c.req as unknown as { valid(t: 'json'): DayBody & { complete?: boolean; note?: string } }).valid(
          'json',
        );
        const deps = c.get('deps');
        const id = await changeHolidays(c.get('sql'), deps.calendar, {
          year: params.year,
          scope,
          code: code(params),
          mode,
          days: days(body),
          reason: body.reason,
          localCoverage:
            scope === 'municipality' ? { complete: body.complete ?? true, note: body.note ?? null } : undefined,
          now: deps.clock.now(),
        });
        return c.json(await respond(c, id), 200);
      });
    }
  }

  app.openapi(routes.listChanges, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const after = cursor ? decodeCursor('calendar_changes', cursor, CREATED_KEY) : undefined;
    const rows = await listCalendarChanges(c.get('sql'), { after, limit });
    return c.json(
      toPage(rows, limit, 'calendar_changes', (r) => [r.occurred_at.toISOString(), r.id], toChange),
      200,
    );
  });

  app.openapi(routes.retrieveChange, async (c) => {
    const row = await findCalendarChange(c.get('sql'), c.req.valid('param').id);
    if (!row) throw new ProblemError('not_found', 'No such calendar change.');
    return c.json(toChange(row), 200);
  });
}
