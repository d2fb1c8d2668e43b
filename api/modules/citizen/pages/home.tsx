import { deleteCookie, getCookie } from 'hono/cookie';

import { citizenFromSession, endCitizenSessionOf, SESSION_COOKIE } from '../../../http/auth';
import type { App } from '../../../http/context';
import { type DelegationRequestRow, listDelegationRequests } from '../../delegation-requests/queries';
import { coveredTypes } from '../../delegations/scope';
import { formatMadridDay } from '../i18n';
import {
  checkCsrf,
  cookieOptions,
  Layout,
  type PageContext,
  pageContext,
  sendPage,
  type SessionChrome,
} from '../layout';
import { citizenLivemodeFilter } from '../routes';
import {
  ACCESS_LOG,
  CardList,
  DELEGATIONS,
  formLimit,
  HOME,
  messagePage,
  Notice,
  noticeFor,
  orderedCapacities,
  procedureNames,
  PROCEDURES,
  safeReturnPath,
  sessionChrome,
  SIGN_IN,
  signInHref,
} from './shared';

const PENDING_SHOWN = 50;

function HomePage(props: {
  page: PageContext;
  session?: SessionChrome;
  signIn: string;
  notice?: string;
  pending?: DelegationRequestRow[];
  names: Map<string, string>;
}) {
  const { page, session, pending, names } = props;
  const { t } = page;
  return (
    <Layout page={page} title={t.homeTitle} current="home" session={session}>
      <h1>{t.homeTitle}</h1>
      <Notice text={props.notice} />
      <p class="lead">{t.homeIntro}</p>
      <p>{t.homeWhat}</p>
      {!session || !pending ? (
        <>
          <p>{t.homeSignInPrompt}</p>
          <p>
            <a class="button" href={props.signIn}>
              {t.signIn}
            </a>
          </p>
        </>
      ) : (
        <section aria-labelledby="pendientes">
          <h2 id="pendientes">{t.pendingHeading}</h2>
          <CardList
            items={pending}
            none={t.pendingNone}
            card={(r) => (
              <li class="card">
                <h3>
                  {r.org_legal_name}
                  {r.livemode ? null : <span class="tag">{t.testMode}</span>}
                </h3>
                <p>{t.pendingAsks}</p>
                <ul>
                  {coveredTypes(r.scope).map((code) => (
                    <li>{names.get(code) ?? code}</li>
                  ))}
                </ul>
                <p>{t.listJoin(orderedCapacities(r.scope.capacities).map((cap) => t.capacities[cap]))}.</p>
                <p class="muted">{t.pendingUntil(formatMadridDay(page.lang, r.expires_at))}</p>
                <p>
                  <a
                    href={`/ciudadania/solicitudes/${encodeURIComponent(r.id)}`}
                    aria-label={t.reviewRequestOf(r.org_legal_name)}
                  >
                    {t.reviewRequest}
                  </a>
                </p>
              </li>
            )}
          />
          <h2>{t.moreLinks}</h2>
          <ul>
            <li>
              <a href={PROCEDURES}>{t.navProcedures}</a>
            </li>
            <li>
              <a href={DELEGATIONS}>{t.navDelegations}</a>
            </li>
            <li>
              <a href={ACCESS_LOG}>{t.navAccessLog}</a>
            </li>
          </ul>
        </section>
      )}
    </Layout>
  );
}

/** The home page, sign-in and sign-out. */
export function registerHomePages(app: App): void {
  app.get(HOME, async (c) => {
    const config = c.get('deps').config;
    const citizen = await citizenFromSession(c);
    const page = pageContext(c);
    const notice = noticeFor(c, page.t);
    if (!citizen) {
      return sendPage(
        c,
        page,
        <HomePage page={page} signIn={signInHref(config, HOME)} notice={notice} names={new Map()} />,
      );
    }
    const rows = await listDelegationRequests(c.get('sql'), {
      citizenId: citizen.citizenId,
      livemode: citizenLivemodeFilter(c),
      status: 'pending',
      limit: PENDING_SHOWN,
      now: c.get('deps').clock.now(),
    });
    const names = await procedureNames(c.get('sql'), page);
    return sendPage(
      c,
      page,
      <HomePage
        page={page}
        session={await sessionChrome(c, citizen)}
        signIn={signInHref(config, HOME)}
        notice={notice}
        pending={rows.slice(0, PENDING_SHOWN)}
        names={names}
      />,
    );
  });

  app.get(SIGN_IN, async (c) => {
    const config = c.get('deps').config;
    const returnTo = safeReturnPath(c.req.query('return_to'));
    if (config.devIdentityProvider) return c.redirect(signInHref(config, returnTo), 302);
    return messagePage(c, 200, { title: (t) => t.signInTitle, text: (t) => t.signInExternal });
  });

  app.post('/ciudadania/salir', formLimit, async (c) => {
    const config = c.get('deps').config;
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!cookie) return c.redirect(HOME, 303);
    if (!(await checkCsrf(config.secretKey, cookie, form.csrf))) {
      return messagePage(
        c,
        403,
        { title: (t) => t.forbiddenTitle, text: (t) => t.forbiddenText },
        { switchPath: HOME },
      );
    }
    await endCitizenSessionOf(c, cookie);
    deleteCookie(c, SESSION_COOKIE, cookieOptions(config));
    return c.redirect(`${HOME}?aviso=salida`, 303);
  });
}
