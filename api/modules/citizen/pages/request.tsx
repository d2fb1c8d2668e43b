import type { Context } from 'hono';

import { citizenFromSession, type CitizenPrincipal } from '../../../http/auth';
import type { App, AppEnv } from '../../../http/context';
import { ProblemError } from '../../../http/problem';
import { lastLegalDayBefore } from '../../../lib/legal-day';
import type { DelegationRequestRow } from '../../delegation-requests/queries';
import {
  answerDelegationRequest,
  CONFIRM_WITHDRAW_POINTER,
  needsWithdrawConfirmation,
} from '../../delegation-requests/service';
import { coveredTypes } from '../../delegations/scope';
import { formatDay } from '../i18n';
import { FieldError, Layout, type PageContext, pageContext, sendPage, type SessionChrome } from '../layout';
import { myRequest } from '../routes';
import {
  CsrfField,
  DELEGATIONS,
  formLimit,
  HOME,
  notFoundPage,
  postSession,
  problemPage,
  procedureNames,
  ScopeDetails,
  sessionChrome,
  signInPage,
} from './shared';

/** The citizen's own request (as the JSON API finds it), or undefined for anyone else's. */
async function ownRequest(
  c: Context<AppEnv>,
  citizen: CitizenPrincipal,
  id: string,
): Promise<DelegationRequestRow | undefined> {
  c.set('principal', citizen);
  try {
    return await myRequest(c, id);
  } catch (error) {
    if (error instanceof ProblemError && error.code === 'not_found') return undefined;
    throw error;
  }
}

const CONFIRM_WITHDRAW = 'confirmar-desistir';

function RequestPage(props: {
  page: PageContext;
  session: SessionChrome;
  request: DelegationRequestRow;
  names: Map<string, string>;
  /** The citizen accepted without ticking the express consent to `withdraw`. */
  withdrawUnconfirmed?: boolean;
}) {
  const { page, session, request: r, names, withdrawUnconfirmed } = props;
  const { t } = page;
  const place = r.org_colegio ?? r.org_registry;
  const base = `/ciudadania/solicitudes/${encodeURIComponent(r.id)}`;
  const errorId = `${CONFIRM_WITHDRAW}-error`;
  return (
    <Layout page={page} title={t.requestTitle} session={session}>
      <h1>{t.requestTitle}</h1>
      {withdrawUnconfirmed ? (
        <div class="alert error-summary" role="alert">
          <ul>
            <li>
              <a href={`#${CONFIRM_WITHDRAW}`}>{t.confirmWithdrawMissing}</a>
            </li>
          </ul>
        </div>
      ) : null}
      {r.livemode ? null : <p class="notice">{t.testModeNote}</p>}
      <section aria-labelledby="quien">
        <h2 id="quien">{t.whoHeading}</h2>
        <p class="lead">
          <strong>{r.org_legal_name}</strong>
        </p>
        <p>
          {r.org_status === 'verified' ? (
            <span class="verified">
              <span aria-hidden="true">✔ </span>
              {t.verified}
            </span>
          ) : (
            <span class="unverified">{r.org_status === 'suspended' ? t.suspendedOrg : t.notVerified}</span>
          )}
        </p>
        <dl class="facts">
          <dt>{t.orgKind}</dt>
          <dd>{t.orgKinds[r.org_kind] ?? r.org_kind}</dd>
          <dt>{t.orgRegistration}</dt>
          <dd>{place ? t.registrationNumber(place, r.org_registration_number) : r.org_registration_number}</dd>
          <dt>{t.orgNif}</dt>
          <dd>{r.org_nif}</dd>
        </dl>
      </section>
      <section aria-labelledby="que">
        <h2 id="que">{t.whatHeading}</h2>
        <ScopeDetails
          t={t}
          names={names}
          types={coveredTypes(r.scope)}
          subjects={r.scope.subjects}
          capacities={r.scope.capacities}
        />
      </section>
      <section aria-labelledby="hasta">
        <h2 id="hasta">{t.untilHeading}</h2>
        <p>{t.until(formatDay(page.lang, r.valid_until))}</p>
      </section>
      {r.message ? (
        <section aria-labelledby="mensaje">
          <h2 id="mensaje">{t.messageHeading}</h2>
          <blockquote>
            <p>{r.message}</p>
          </blockquote>
        </section>
      ) : null}
      <section aria-labelledby="codigo">
        <h2 id="codigo">{t.codeHeading}</h2>
        <p class="code">{r.code}</p>
        <p>{t.codeHelp}</p>
      </section>
      <section aria-labelledby="respuesta">
        <h2 id="respuesta">{t.answerHeading}</h2>
        {r.status === 'pending' ? (
          <>
            <p id="respuesta-ayuda">{t.answerHelp}</p>
            <p class="muted">{t.answerBy(formatDay(page.lang, lastLegalDayBefore(r.expires_at)))}</p>
            {needsWithdrawConfirmation(r.scope) ? (
              <div class="checks">
                <FieldError id={errorId} message={withdrawUnconfirmed ? t.confirmWithdrawMissing : undefined} />
                <label>
                  <input
                    type="checkbox"
                    id={CONFIRM_WITHDRAW}
                    name="confirm_withdraw"
                    value="1"
                    form="aceptar"
                    aria-describedby={withdrawUnconfirmed ? errorId : undefined}
                    aria-invalid={withdrawUnconfirmed ? 'true' : undefined}
                  />
                  {t.confirmWithdraw}
                </label>
              </div>
            ) : null}
            <div class="actions">
              <form method="post" action={`${base}/aceptar`} id="aceptar">
                <CsrfField token={session.csrf} />
                <button type="submit" aria-describedby="respuesta-ayuda">
                  {t.accept}
                </button>
              </form>
              <form method="post" action={`${base}/rechazar`}>
                <CsrfField token={session.csrf} />
                <button type="submit" class="secondary">
                  {t.reject}
                </button>
              </form>
            </div>
          </>
        ) : (
          <>
            <p class="lead" role="status">
              {t.requestStatus[
                r.status === 'cancelled' && r.ended_by === 'system' ? 'cancelled_by_system' : r.status
              ] ?? r.status}
            </p>
            {r.status === 'accepted' ? (
              <p>
                <a href={DELEGATIONS}>{t.seeDelegations}</a>
              </p>
            ) : null}
          </>
        )}
      </section>
    </Layout>
  );
}

/** A delegation request: read it, accept it or reject it. */
export function registerRequestPages(app: App): void {
  app.get('/ciudadania/solicitudes/:id', async (c) => {
    const id = c.req.param('id');
    const path = `/ciudadania/solicitudes/${encodeURIComponent(id)}`;
    const citizen = await citizenFromSession(c);
    if (!citizen)
      return signInPage(
        c,
        path,
        (t) => t.signInNeeded,
        (t) => t.requestTitle,
      );
    const row = await ownRequest(c, citizen, id);
    if (!row) return notFoundPage(c, citizen);
    const page = pageContext(c);
    const names = await procedureNames(c.get('sql'), page);
    const session = (await sessionChrome(c, citizen))!;
    return sendPage(c, page, <RequestPage page={page} session={session} request={row} names={names} />);
  });

  const answers = [
    { slug: 'aceptar', accept: true, done: `${DELEGATIONS}?aviso=aceptada` },
    { slug: 'rechazar', accept: false, done: `${HOME}?aviso=rechazada` },
  ] as const;
  for (const { slug, accept, done } of answers) {
    app.post(`/ciudadania/solicitudes/:id/${slug}`, formLimit, async (c) => {
      const id = c.req.param('id');
      const back = `/ciudadania/solicitudes/${encodeURIComponent(id)}`;
      const citizen = await postSession(c, back);
      if (citizen instanceof Response) return citizen;
      const row = await ownRequest(c, citizen, id);
      if (!row) return notFoundPage(c, citizen, HOME);
      // The form was read (and cached) by `postSession`; the box is sent only when ticked.
      const form = await c.req.parseBody();
      const answer = accept ? { accept, confirmWithdraw: form.confirm_withdraw !== undefined } : 'reject';
      try {
        await answerDelegationRequest(c.get('sql'), row, answer, c.get('deps').clock.now());
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        if (error.errors?.some((e) => e.pointer === CONFIRM_WITHDRAW_POINTER)) {
          const page = pageContext(c);
          const names = await procedureNames(c.get('sql'), page);
          const session = (await sessionChrome(c, citizen))!;
          const again = <RequestPage page={page} session={session} request={row} names={names} withdrawUnconfirmed />;
          return sendPage(c, page, again, 422);
        }
        return problemPage(c, error, citizen, back);
      }
      return c.redirect(done, 303);
    });
  }
}
