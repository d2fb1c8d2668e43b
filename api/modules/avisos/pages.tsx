import type { Context } from 'hono';

import type { App, AppEnv } from '../../http/context';
import { formatMadridTime } from '../citizen/i18n';
import { Layout, type PageContext, pageContext, sendPage } from '../citizen/layout';
import { formLimit, HOME } from '../citizen/pages/shared';
import { AVISO_TEXTS } from './page-texts';
import { findMailbox, listMailbox, type MailboxRow } from './queries';
import { unsubscribe } from './service';
import { readUnsubscribeToken, type Unsubscribe, UNSUBSCRIBE_PATH } from './unsubscribe';

export const MAILBOX = '/dev/mailbox';

function UnsubscribePage(props: { page: PageContext; token?: string; what?: string; done?: boolean }) {
  const { page, token, what, done } = props;
  const a = AVISO_TEXTS[page.lang];
  return (
    <Layout page={page} title={a.unsubscribeTitle}>
      <h1>{a.unsubscribeTitle}</h1>
      {done ? (
        <div class="notice" role="status">
          <p>{a.unsubscribeDone}</p>
        </div>
      ) : what && token ? (
        <form method="post" action={`${UNSUBSCRIBE_PATH}?t=${encodeURIComponent(token)}`}>
          <p class="lead">{a.unsubscribeAsk(what)}</p>
          <input type="hidden" name="t" value={token} />
          <div class="actions">
            <button type="submit" class="danger">
              {a.unsubscribeButton}
            </button>
          </div>
        </form>
      ) : (
        <p class="lead">{a.unsubscribeInvalid}</p>
      )}
      <p>
        <a href={HOME}>{a.toArea}</a>
      </p>
    </Layout>
  );
}

async function tokenOf(c: Context<AppEnv>, fromForm: boolean): Promise<{ raw?: string; u?: Unsubscribe }> {
  let raw = c.req.query('t');
  if (!raw && fromForm) {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    raw = typeof form.t === 'string' ? form.t : undefined;
  }
  return { raw, u: await readUnsubscribeToken(c.get('deps').config.secretKey, raw) };
}

function what(page: PageContext, u: Unsubscribe): string {
  const a = AVISO_TEXTS[page.lang];
  return a.kindNames[u.kind];
}

/**
 * The unsubscribe link every aviso carries: signed, it works without signing in. GET asks, POST
 * turns the kind off (the form, or a mail client's one-click `List-Unsubscribe=One-Click`).
 */
export function registerUnsubscribePages(app: App): void {
  const path = `${UNSUBSCRIBE_PATH}`;
  app.get(path, async (c) => {
    const page = pageContext(c);
    const { raw, u } = await tokenOf(c, false);
    return sendPage(
      c,
      page,
      <UnsubscribePage page={page} token={u ? raw : undefined} what={u ? what(page, u) : undefined} />,
      u ? 200 : 400,
    );
  });
  app.post(path, formLimit, async (c) => {
    const page = pageContext(c, path);
    const { u } = await tokenOf(c, true);
    if (!u) return sendPage(c, page, <UnsubscribePage page={page} />, 400);
    await unsubscribe(c.get('sql'), u.citizenId, u.kind, c.get('deps').clock.now());
    return sendPage(c, page, <UnsubscribePage page={page} done />);
  });
}

/* ------------------------------------------------------------------ development mailbox */

function MailboxList(props: { page: PageContext; rows: MailboxRow[] }) {
  const { page, rows } = props;
  const en = page.lang === 'en';
  const when = (at: Date) => formatMadridTime(page.lang, at);
  const title = en ? 'Development mailbox' : 'Buzón de desarrollo';
  return (
    <Layout
      page={page}
      title={title}
      devBanner={en ? 'DEVELOPMENT mailbox — not in production' : 'Buzón de DESARROLLO — no existe en producción'}
    >
      <h1>{title}</h1>
      <p class="lead">
        {en
          ? 'With no SMTP server or SMS gateway configured, avisos land here instead of being sent.'
          : 'Sin servidor SMTP ni pasarela de SMS configurados, los avisos llegan aquí en lugar de enviarse.'}
      </p>
      {rows.length === 0 ? (
        <p>{en ? 'No messages yet.' : 'Todavía no hay mensajes.'}</p>
      ) : (
        <table>
          <caption>{en ? 'Messages, newest first' : 'Mensajes, del más reciente al más antiguo'}</caption>
          <thead>
            <tr>
              <th scope="col">{en ? 'Received' : 'Recibido'}</th>
              <th scope="col">{en ? 'To' : 'Para'}</th>
              <th scope="col">{en ? 'Subject' : 'Asunto'}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr>
                <td>{when(m.created_at)}</td>
                <td>
                  {m.recipient} ({m.channel === 'sms' ? 'SMS' : 'email'})
                </td>
                <td>
                  <a href={`${MAILBOX}/${m.seq}`}>{m.subject}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

function MailboxMessage(props: { page: PageContext; m: MailboxRow }) {
  const { page, m } = props;
  const en = page.lang === 'en';
  return (
    <Layout
      page={page}
      title={m.subject}
      devBanner={en ? 'DEVELOPMENT mailbox — not in production' : 'Buzón de DESARROLLO — no existe en producción'}
    >
      <h1>{m.subject}</h1>
      <dl class="facts">
        <dt>{en ? 'To' : 'Para'}</dt>
        <dd>{m.recipient}</dd>
        <dt>{en ? 'Channel' : 'Medio'}</dt>
        <dd>{m.channel === 'sms' ? 'SMS' : 'email'}</dd>
        {Object.entries(m.headers).map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
      </dl>
      <h2>{en ? 'Message' : 'Mensaje'}</h2>
      <blockquote>
        {m.body.split('\n').map((line) => (
          <>
            {linkify(line)}
            <br />
          </>
        ))}
      </blockquote>
      <p>
        <a href={MAILBOX}>{en ? 'Back to the mailbox' : 'Volver al buzón'}</a>
      </p>
    </Layout>
  );
}

/** Turns this service's own links in a line into anchors, so the mailbox can be followed by clicking. */
function linkify(line: string) {
  const parts = line.split(/(https?:\/\/[^\s<>"]+)/);
  return parts.map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part));
}

/** Outside production only (not even registered in production, so it answers 404 there). */
export function registerDevMailbox(app: App): void {
  app.get(MAILBOX, async (c) => {
    const page = pageContext(c);
    return sendPage(c, page, <MailboxList page={page} rows={await listMailbox(c.get('sql'), 100)} />);
  });
  app.get(`${MAILBOX}/:seq`, async (c) => {
    const page = pageContext(c);
    const m = await findMailbox(c.get('sql'), c.req.param('seq'));
    if (!m) return c.notFound();
    return sendPage(c, page, <MailboxMessage page={page} m={m} />);
  });
}
