import type { App } from '../../http/context';
import { get, ok, routesOf } from '../../http/openapi';
import { ProblemError } from '../../http/problem';
import { DeadlineQuery, DeadlineSchema, HolidayListSchema, HolidaysQuery } from './schemas';
import { computeDeadline, type DeadlineUnit, holidaysFor, queryPlaces } from './service';

const routes = routesOf('Calendar', {
  deadline: get('/v1/calendar/deadline', {
    operationId: 'computeDeadline',
    summary: 'Compute an administrative deadline',
    description:
      'Adds días hábiles (weekends and holidays skipped), months (date to date) or días naturales (every day counts) to a date; a last day that is not hábil rolls forward (Ley 39/2015, art. 30). ' +
      'Pass exactly one of `business_days`, `months` or `natural_days`. A day is inhábil when it is a holiday in the country, or in the community, island or territory, or municipality of the applicant ' +
      "or of the deciding office's seat (art. 30.6). The answer lists every day skipped with its reason and place, the places used, the weakest grade of the data behind it, and warnings " +
      'whenever something is unknown or uncertain (no community given, a municipality without local data, a provisional year). A year without holiday data answers 422 `calendar_unavailable`.',
    auth: 'public',
    query: DeadlineQuery,
    problems: ['calendar_unavailable'],
    responses: ok('The deadline and every day skipped.', DeadlineSchema),
  }),
  holidays: get('/v1/calendar/holidays', {
    operationId: 'listHolidays',
    summary: 'List the holidays of a year that apply to a place',
    description:
      'National days, then those of the community (without the ones its island or territory lifts), of the island or historical territory, and of the municipality, each with its source and confidence grade. ' +
      'A year without data answers 422 `calendar_unavailable`.',
    auth: 'public',
    query: HolidaysQuery,
    problems: ['calendar_unavailable'],
    responses: ok('The holidays, by date.', HolidayListSchema),
  }),
});

const UNITS = ['business_days', 'months', 'natural_days'] as const;

export function registerCalendar(app: App): void {
  app.openapi(routes.deadline, async (c) => {
    const query = c.req.valid('query');
    const given = UNITS.filter((u) => query[u] !== undefined);
    if (given.length !== 1) {
      const detail = 'Pass exactly one of business_days, months or natural_days.';
      throw new ProblemError('validation_failed', detail, {
        errors: (given.length === 0 ? UNITS : given).map((u) => ({ pointer: `/${u}`, in: 'query' as const, detail })),
      });
    }
    const unit: DeadlineUnit = given[0]!;
    const amount = query[unit]!;
    const cal = await c.get('deps').calendar.ensure(c.get('sql'));
    const places = queryPlaces(cal, query);
    const { result, places: reports, warnings } = computeDeadline(cal, query.from, unit, amount, places);
    return c.json(
      {
        object: 'deadline' as const,
        from: query.from,
        deadline: result.deadline,
        unit,
        amount,
        region: places[0]!.region,
        provisional: result.provisional,
        skipped: result.skipped,
        places: reports,
        lowest_confidence: result.lowestConfidence,
        warnings,
      },
      200,
    );
  });

  app.openapi(routes.holidays, async (c) => {
    const { year, region, municipality } = c.req.valid('query');
    const cal = await c.get('deps').calendar.ensure(c.get('sql'));
    const [place] = queryPlaces(cal, { region, municipality, office_province: undefined });
    const coverage = cal.years.get(year);
    const listed = holidaysFor(cal, year, { ...place!, role: 'applicant' });
    return c.json(
      {
        object: 'holiday_list' as const,
        year,
        provisional: coverage!.provisional,
        source: coverage!.source,
        ...listed,
      },
      200,
    );
  });
}
