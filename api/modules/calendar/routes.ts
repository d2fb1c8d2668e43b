import type { App } from '../../http/context';
import { defineRoute } from '../../http/openapi';
import { ProblemError } from '../../http/problem';
import { addBusinessDays, addMonths, CalendarUnavailableError } from '../../lib/calendar';
import { DeadlineQuery, DeadlineSchema } from './schemas';

const deadlineRoute = defineRoute({
  method: 'get',
  path: '/v1/calendar/deadline',
  operationId: 'computeDeadline',
  tags: ['Calendar'],
  summary: 'Compute an administrative deadline',
  description:
    'Adds días hábiles (weekends and holidays skipped) or months (date to date) to a date, rolling a non-working last day forward (Ley 39/2015, art. 30). ' +
    'Pass exactly one of `business_days` or `months`. A year without holiday data answers 422 `calendar_unavailable`.',
  auth: 'public',
  request: { query: DeadlineQuery },
  problems: ['calendar_unavailable'],
  responses: { 200: { description: 'The deadline and every day skipped.', content: { 'application/json': { schema: DeadlineSchema } } } },
});

export function registerCalendar(app: App): void {
  app.openapi(deadlineRoute, (c) => {
    const { from, business_days, months, region } = c.req.valid('query');
    if ((business_days === undefined) === (months === undefined)) {
      throw new ProblemError('validation_failed', 'Pass exactly one of business_days or months.', {
        errors: [{ pointer: business_days === undefined ? '/business_days' : '/months', in: 'query', detail: 'Pass exactly one of business_days or months.' }],
      });
    }
    try {
      const unit = business_days !== undefined ? ('business_days' as const) : ('months' as const);
      const amount = (business_days ?? months)!;
      const result = unit === 'business_days' ? addBusinessDays(from, amount, region) : addMonths(from, amount, region);
      return c.json(
        {
          object: 'deadline' as const,
          from,
          deadline: result.deadline,
          unit,
          amount,
          region: region ?? null,
          provisional: result.provisional,
          skipped: result.skipped.map((s) => ({ date: s.date, reason: s.reason, name: s.name ?? null })),
        },
        200,
      );
    } catch (error) {
      if (error instanceof CalendarUnavailableError) {
        throw new ProblemError('calendar_unavailable', `There is no holiday data for ${error.year}; the deadline cannot be computed safely.`);
      }
      throw error;
    }
  });
}
