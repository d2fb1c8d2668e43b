import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

import type { Sql } from '../../db/sql';
import { organizationPrincipal } from '../../http/auth';
import type { App, AppEnv } from '../../http/context';
import { ok, post, routesOf } from '../../http/openapi';
import { ProblemError } from '../../http/problem';
import type { CalendarSnapshot } from '../../lib/calendar';
import { legalDay } from '../../lib/legal-day';
import { SandboxAdvanceBody } from '../agency/schemas';
import { findDelegationRequest } from '../delegation-requests/queries';
import { answeredRequest } from '../delegation-requests/routes';
import { DelegationRequestParams, DelegationRequestSchema } from '../delegation-requests/schemas';
import { toProcedureSummary } from '../procedures/mappers';
import { findProcedure, type ProcedureRow } from '../procedures/queries';
import { ProcedureParams, ProcedureSummarySchema } from '../procedures/schemas';
import { admitProcedure, DECLARATIONS, issueRequirement, resolveProcedure } from '../procedures/service';
import type { Actor } from '../procedures/timeline.queries';

const PROBLEMS = ['invalid_state_transition', 'delegation_request_expired'] as const;

const routes = routesOf('Sandbox', {
  accept: post('/v1/sandbox/delegation-requests/{id}/accept', {
    operationId: 'sandboxAcceptDelegationRequest',
    summary: 'Play the citizen: accept a test-mode request',
    description:
      "Test keys only. Creates the delegation exactly as a citizen's acceptance would, and is refused as it would be: an organisation registered as non-practising answers 403 `organization_not_practising`.",
    auth: 'orgWrite',
    params: DelegationRequestParams,
    problems: [...PROBLEMS, 'organization_not_practising'],
    responses: ok('The request after the simulated answer.', DelegationRequestSchema),
  }),
  reject: post('/v1/sandbox/delegation-requests/{id}/reject', {
    operationId: 'sandboxRejectDelegationRequest',
    summary: 'Play the citizen: reject a test-mode request',
    description:
      'Test mode only: acts as the citizen and rejects a pending delegation request, as they would from their pages. Emits `delegation_request.rejected`.',
    auth: 'orgWrite',
    params: DelegationRequestParams,
    problems: PROBLEMS,
    responses: ok('The request after the simulated answer.', DelegationRequestSchema),
  }),
  advance: post('/v1/sandbox/procedures/{id}/advance', {
    operationId: 'sandboxAdvanceProcedure',
    summary: 'Play the caseworker on a test-mode procedure',
    description:
      'Test keys only: `admit`, `require` (documents), `approve`, `partially_approve`, `deny`, `declare_withdrawal`, `warn_lapse` or `declare_lapse`, with the same rules and effects as the agency back office.',
    auth: 'orgWrite',
    params: ProcedureParams,
    body: SandboxAdvanceBody,
    problems: ['invalid_state_transition', 'term_not_elapsed', 'conflict', 'calendar_unavailable'],
    responses: ok(
      "The procedure after the simulated action, as a list shows it (`ProcedureSummary`): its contents are read under the client's consent, as in live mode.",
      ProcedureSummarySchema,
    ),
  }),
});

const SANDBOX_CASEWORKER: Actor = { type: 'caseworker', id: null, name: 'Sandbox caseworker' };

/** Sandbox helpers exist for test keys only; a live key gets 403, never a simulated citizen. */
async function testModeRequest(c: Context<AppEnv>, id: string) {
  const principal = organizationPrincipal(c);
  if (principal.livemode) throw new ProblemError('forbidden', 'Sandbox helpers work only with test keys (sk_test_…).');
  const row = await findDelegationRequest(
    c.get('sql'),
    { id, organizationId: principal.organizationId, livemode: false },
    c.get('deps').clock.now(),
  );
  if (!row) throw new ProblemError('not_found', 'No such delegation request.');
  return row;
}

const RESOLUTION_TEXT = {
  approve: 'Resolución estimatoria (sandbox).',
  partially_approve: 'Resolución estimatoria parcial (sandbox).',
  deny: 'Resolución desestimatoria (sandbox).',
};

/** The sandbox caseworker performs one agency act on a test-mode procedure; answers the procedure after it. */
function playCaseworker(
  sql: Sql,
  id: string,
  body: z.infer<typeof SandboxAdvanceBody>,
  now: Date,
  calendar: CalendarSnapshot,
): Promise<ProcedureRow> {
  const act = { text: body.message, actor: SANDBOX_CASEWORKER, now, calendar };
  switch (body.action) {
    case 'admit':
      return admitProcedure(sql, id, SANDBOX_CASEWORKER, now);
    case 'require':
      return issueRequirement(sql, id, {
        kinds: body.kinds ?? ['OTHER'],
        message: body.message ?? 'Requerimiento de subsanación (sandbox).',
        actor: SANDBOX_CASEWORKER,
        now,
        calendar,
      });
    case 'declare_withdrawal':
    case 'warn_lapse':
    case 'declare_lapse':
      return DECLARATIONS[body.action](sql, id, act);
    default: {
      const outcome = body.action === 'approve' ? 'approved' : body.action === 'deny' ? 'denied' : 'partially_approved';
      const resolution = {
        outcome,
        text: body.message ?? RESOLUTION_TEXT[body.action],
        amount: body.amount ?? null,
      } as const;
      return resolveProcedure(sql, id, SANDBOX_CASEWORKER, resolution, now, calendar);
    }
  }
}

export function registerSandbox(app: App): void {
  app.openapi(routes.advance, async (c) => {
    const principal = organizationPrincipal(c);
    if (principal.livemode)
      throw new ProblemError('forbidden', 'Sandbox helpers work only with test keys (sk_test_…).');
    const sql = c.get('sql');
    const row = await findProcedure(sql, {
      id: c.req.valid('param').id,
      organizationId: principal.organizationId,
      livemode: false,
    });
    if (!row) throw new ProblemError('not_found', 'No such procedure.');
    const now = c.get('deps').clock.now();
    const calendar = await c.get('deps').calendar.ensure(sql);
    const advanced = await playCaseworker(sql, row.id, c.req.valid('json'), now, calendar);
    return c.json(toProcedureSummary(advanced, legalDay(now), calendar), 200);
  });

  app.openapi(routes.accept, async (c) =>
    // The sandbox plays a citizen who expressly consents to everything asked, `withdraw` included.
    c.json(
      await answeredRequest(c, await testModeRequest(c, c.req.valid('param').id), {
        accept: true,
        confirmWithdraw: true,
      }),
      200,
    ),
  );

  app.openapi(routes.reject, async (c) =>
    c.json(await answeredRequest(c, await testModeRequest(c, c.req.valid('param').id), 'reject'), 200),
  );
}
