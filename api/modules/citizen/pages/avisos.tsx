import type { Context } from 'hono';

import type { CitizenPrincipal } from '../../../http/auth';
import type { App, AppEnv } from '../../../http/context';
import { ProblemError } from '../../../http/problem';
import { avisoSubject } from '../../avisos/mappers';
import { AVISO_KINDS, type AvisoKind, type Channel, CHANNELS, isAvisoKind } from '../../avisos/messages';
import { AVISO_TEXTS, type AvisoTexts } from '../../avisos/page-texts';
import {
  type AttemptRow,
  type AvisoRow,
  type CodeRow,
  findSettings,
  listAttempts,
  listCitizenAvisos,
  pendingCodes,
  type SettingsRow,
} from '../../avisos/queries';
import { confirmContact, removeContact, savePreferences, startContactConfirmation } from '../../avisos/service';
import { formatMadridTime, isLang } from '../i18n';
import { InputField, Layout, type PageContext, pageContext, sendPage, type SessionChrome } from '../layout';
import {
  citizenListPage,
  citizenOrSignIn,
  CsrfField,
  formLimit,
  Notice,
  postSession,
  problemPage,
  sessionChrome,
} from './shared';

export const AVISOS = '/ciudadania/avisos';
export const AVISOS_SENT = '/ciudadania/avisos/enviados';
const SENT_PAGE = 50;
const DONE = ['code_sent', 'confirmed', 'removed', 'saved'] as const;

/** `correo` / `telefono` in the page paths. */
const SLUGS: Record<string, Channel> = { correo: 'email', telefono: 'sms' };
const SLUG_OF: Record<Channel, string> = { email: 'correo', sms: 'telefono' };

interface FormErrors {
  channel: Channel;
  field: 'value' | 'code';
  message: string;
  value?: string;
}

function ContactSection(props: {
  page: PageContext;
  a: AvisoTexts;
  session: SessionChrome;
  channel: Channel;
  settings: SettingsRow | undefined;
  pending: CodeRow | undefined;
  error?: FormErrors;
}) {
  const { a, session, channel, settings, pending, error } = props;
  const slug = SLUG_OF[channel];
  const confirmed =
    channel === 'email'
      ? settings?.email_confirmed_at && settings.email
      : settings?.phone_confirmed_at && settings.phone;
  const heading = channel === 'email' ? a.emailHeading : a.phoneHeading;
  const valueId = `${slug}-valor`;
  const codeId = `${slug}-codigo`;
  const valueError = error?.channel === channel && error.field === 'value' ? error : undefined;
  const codeError = error?.channel === channel && error.field === 'code' ? error : undefined;
  return (
    <section aria-labelledby={`${slug}-titulo`} class="card">
      <h3 id={`${slug}-titulo`}>{heading}</h3>
      <p>{confirmed ? a.current(confirmed) : a.none}</p>
      {confirmed ? (
        <form method="post" action={`${AVISOS}/contacto/${slug}/quitar`}>
          <CsrfField token={session.csrf} />
          <button type="submit" class="secondary">
            {channel === 'email' ? a.removeEmail : a.removePhone}
          </button>
        </form>
      ) : null}
      {pending ? (
        <form method="post" action={`${AVISOS}/contacto/${slug}/confirmar`}>
          <CsrfField token={session.csrf} />
          <p>{a.pendingCode(pending.value)}</p>
          <InputField
            id={codeId}
            label={a.codeLabel}
            hint={{ id: `${codeId}-ayuda`, text: a.codeHint }}
            error={codeError?.message}
            input={{ name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code' }}
          />
          <div class="actions">
            <button type="submit">{a.confirm}</button>
          </div>
        </form>
      ) : null}
      <form method="post" action={`${AVISOS}/contacto/${slug}`} novalidate>
        <CsrfField token={session.csrf} />
        <InputField
          id={valueId}
          label={channel === 'email' ? a.newEmail : a.newPhone}
          hint={{ id: `${valueId}-ayuda`, text: channel === 'email' ? a.emailHint : a.phoneHint }}
          error={valueError?.message}
          input={{
            type: channel === 'email' ? 'email' : 'tel',
            name: 'value',
            autocomplete: channel === 'email' ? 'email' : 'tel',
            value: valueError?.value ?? '',
          }}
        />
        <div class="actions">
          <button type="submit">{a.sendCode}</button>
        </div>
      </form>
    </section>
  );
}

function SettingsPage(props: {
  page: PageContext;
  session: SessionChrome;
  settings: SettingsRow | undefined;
  codes: CodeRow[];
  done?: string;
  error?: FormErrors;
}) {
  const { page, session, settings, codes, error } = props;
  const a = AVISO_TEXTS[page.lang];
  const channels = settings?.channels ?? ['email', 'sms'];
  const off = settings?.kinds_off ?? [];
  const lang = settings?.lang ?? 'es';
  const errorTarget = error ? `${SLUG_OF[error.channel]}-${error.field === 'value' ? 'valor' : 'codigo'}` : undefined;
  return (
    <Layout page={page} title={a.title} current="avisos" session={session}>
      <h1>{a.title}</h1>
      {error ? (
        <div class="alert error-summary" role="alert">
          <h2>{a.errorSummary}</h2>
          <ul>
            <li>
              <a href={`#${errorTarget}`}>{error.message}</a>
            </li>
          </ul>
        </div>
      ) : null}
      <Notice text={props.done} />
      <p class="lead">{a.intro}</p>
      <p>
        <a href={AVISOS_SENT}>{a.sentLink}</a>
      </p>
      <h2>{a.contactsHeading}</h2>
      {CHANNELS.map((channel) => (
        <ContactSection
          page={page}
          a={a}
          session={session}
          channel={channel}
          settings={settings}
          pending={codes.find((c) => c.channel === channel)}
          error={error}
        />
      ))}
      <section aria-labelledby="preferencias">
        <h2 id="preferencias">{a.prefsHeading}</h2>
        <form method="post" action={`${AVISOS}/preferencias`}>
          <CsrfField token={session.csrf} />
          <fieldset class="checks">
            <legend>{a.channelsLegend}</legend>
            {CHANNELS.map((ch) => (
              <label>
                <input type="checkbox" name="channel" value={ch} checked={channels.includes(ch)} />
                {a.channelLabel[ch]}
              </label>
            ))}
          </fieldset>
          <label for="idioma">{a.langLabel}</label>
          <select id="idioma" name="language">
            {(['es', 'en'] as const).map((l) => (
              <option value={l} selected={lang === l} lang={l}>
                {a.langNames[l]}
              </option>
            ))}
          </select>
          <fieldset class="checks">
            <legend>{a.kindsLegend}</legend>
            {AVISO_KINDS.map((k) => (
              <label>
                <input type="checkbox" name="kind" value={k} checked={!off.includes(k) && !off.includes('*')} />
                {a.kindNames[k]}
              </label>
            ))}
          </fieldset>
          <div class="actions">
            <button type="submit">{a.save}</button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

function SentPage(props: {
  page: PageContext;
  session: SessionChrome;
  rows: AvisoRow[];
  attempts: AttemptRow[];
  next?: string;
}) {
  const { page, session, rows, attempts } = props;
  const { t } = page;
  const a = AVISO_TEXTS[page.lang];
  const when = (at: Date) => formatMadridTime(page.lang, at);
  return (
    <Layout page={page} title={a.sentTitle} current="avisos" session={session}>
      <h1>{a.sentTitle}</h1>
      <p class="lead">{a.sentIntro}</p>
      <p>
        <a href={AVISOS}>{a.backToSettings}</a>
      </p>
      {rows.length === 0 ? (
        <p>{a.sentNone}</p>
      ) : (
        <table id="avisos-enviados">
          <caption>{a.sentCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{a.colDate}</th>
              <th scope="col">{a.colAviso}</th>
              <th scope="col">{a.colChannel}</th>
              <th scope="col">{a.colTo}</th>
              <th scope="col">{a.colStatus}</th>
              <th scope="col">{a.colAttempts}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const mine = attempts.filter((x) => x.aviso_id === r.id);
              return (
                <tr>
                  <td>{when(r.created_at)}</td>
                  <td>
                    {avisoSubject(r)}
                    {r.livemode ? null : <span class="tag">{t.testMode}</span>}
                    <br />
                    <span class="muted">{a.kindNames[r.kind]}</span>
                  </td>
                  <td>{a.channelLabel[r.channel]}</td>
                  <td>
                    {r.recipient}
                    {r.recipient_source === 'request' ? (
                      <>
                        <br />
                        <span class="muted">{a.fromRequest}</span>
                      </>
                    ) : null}
                  </td>
                  <td class="status">{a.status[r.status] ?? r.status}</td>
                  <td>
                    {mine.length === 0 ? (
                      a.noAttempts
                    ) : (
                      <ul class="list">
                        {mine.map((x) => (
                          <li>
                            {a.attemptLine(x.attempt, when(x.at), a.outcome[x.outcome] ?? x.outcome)}
                            {x.detail ? <span class="muted"> ({x.detail})</span> : null}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {props.next ? (
        <p>
          <a href={`${AVISOS_SENT}?desde=${encodeURIComponent(props.next)}`}>{a.morePages}</a>
        </p>
      ) : null}
    </Layout>
  );
}

async function renderSettings(
  c: Context<AppEnv>,
  citizen: CitizenPrincipal,
  options: { done?: string; error?: FormErrors; status?: 200 | 400 | 422 | 429 } = {},
): Promise<Response> {
  // A page rendered from a POST offers the GET page in the other language.
  const page = pageContext(c, c.req.method === 'GET' ? undefined : AVISOS);
  const sql = c.get('sql');
  const now = c.get('deps').clock.now();
  const [settings, codes] = await Promise.all([
    findSettings(sql, citizen.citizenId),
    pendingCodes(sql, citizen.citizenId, now),
  ]);
  const session = (await sessionChrome(c, citizen))!;
  const a = AVISO_TEXTS[page.lang];
  return sendPage(
    c,
    page,
    <SettingsPage
      page={page}
      session={session}
      settings={settings}
      codes={codes}
      done={options.done ? a.done[options.done] : undefined}
      error={options.error}
    />,
    options.status ?? 200,
  );
}

function textsOf(c: Context<AppEnv>): AvisoTexts {
  return AVISO_TEXTS[pageContext(c, AVISOS).lang];
}

/** A form posted about one contact channel (`:slug`) by the signed-in citizen, or the page that answers instead. */
async function contactFormPost(
  c: Context<AppEnv>,
): Promise<{ citizen: CitizenPrincipal; channel: Channel } | Response> {
  const channel = SLUGS[c.req.param('slug') ?? ''];
  const citizen = await postSession(c, AVISOS);
  if (citizen instanceof Response) return citizen;
  if (!channel) return problemPage(c, new ProblemError('not_found', 'No such page.'), citizen, AVISOS);
  return { citizen, channel };
}

/**
 * One step of adding a contact: the posted `field` (cut to `max` characters), the step itself, and
 * on a refusal the settings page again with the status and error `refused` gives for it.
 */
async function contactStep(
  c: Context<AppEnv>,
  field: { name: 'value' | 'code'; max: number },
  step: (citizen: CitizenPrincipal, channel: Channel, text: string) => Promise<unknown>,
  refused: (error: ProblemError, channel: Channel, text: string) => { status: 400 | 422 | 429; error: FormErrors },
  done: string,
): Promise<Response> {
  const posted = await contactFormPost(c);
  if (posted instanceof Response) return posted;
  const { citizen, channel } = posted;
  const given = (await formOf(c))[field.name];
  const text = typeof given === 'string' ? given.slice(0, field.max) : '';
  try {
    await step(citizen, channel, text);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return renderSettings(c, citizen, refused(error, channel, text));
  }
  return c.redirect(`${AVISOS}?hecho=${done}`, 303);
}

async function formOf(c: Context<AppEnv>): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true }).catch(() => ({}));
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The citizen's aviso settings and the avisos sent to them. */
export function registerAvisoPages(app: App): void {
  app.get(AVISOS, async (c) => {
    const citizen = await citizenOrSignIn(c, AVISOS, () => textsOf(c).title);
    if (citizen instanceof Response) return citizen;
    const done = c.req.query('hecho');
    return renderSettings(c, citizen, { done: done && (DONE as readonly string[]).includes(done) ? done : undefined });
  });

  app.get(AVISOS_SENT, async (c) => {
    const listed = await citizenListPage(
      c,
      (scope, paging) => listCitizenAvisos(c.get('sql'), { ...scope, ...paging }),
      {
        path: AVISOS_SENT,
        title: () => textsOf(c).sentTitle,
        name: 'citizen_page_avisos',
        size: SENT_PAGE,
        keyOf: (r) => [r.created_at.toISOString(), r.id],
      },
    );
    if (listed instanceof Response) return listed;
    const { page, session, shown, next } = listed;
    const attempts = await listAttempts(
      c.get('sql'),
      shown.map((r) => r.id),
    );
    return sendPage(c, page, <SentPage page={page} session={session} rows={shown} attempts={attempts} next={next} />);
  });

  app.post(`${AVISOS}/contacto/:slug`, formLimit, (c) =>
    contactStep(
      c,
      { name: 'value', max: 254 },
      (citizen, channel, value) =>
        startContactConfirmation(
          c.get('sql'),
          c.get('deps').config,
          { citizenId: citizen.citizenId, name: citizen.name, livemode: true },
          channel,
          value,
          c.get('deps').clock.now(),
        ),
      (error, channel, value) => {
        const a = textsOf(c);
        const rate = error.code === 'rate_limited';
        return {
          status: rate ? 429 : 400,
          error: {
            channel,
            field: 'value',
            message: rate ? a.errors.rate_limited! : channel === 'email' ? a.errors.email! : a.errors.phone!,
            value,
          },
        };
      },
      'code_sent',
    ),
  );

  app.post(`${AVISOS}/contacto/:slug/confirmar`, formLimit, (c) =>
    contactStep(
      c,
      { name: 'code', max: 32 },
      async (citizen, channel, code) => {
        // The page's own transaction has committed the count by now; the refusal is shown on the form.
        const confirmed = await confirmContact(
          c.get('sql'),
          c.get('deps').config,
          citizen.citizenId,
          channel,
          code,
          c.get('deps').clock.now(),
        );
        if (confirmed instanceof ProblemError) throw confirmed;
      },
      (error, channel) => {
        const a = textsOf(c);
        const expired = error.code === 'contact_code_expired';
        return {
          status: 422,
          error: {
            channel,
            field: expired ? 'value' : 'code',
            message: expired ? a.errors.code_expired! : a.errors.code_invalid!,
          },
        };
      },
      'confirmed',
    ),
  );

  app.post(`${AVISOS}/contacto/:slug/quitar`, formLimit, async (c) => {
    const posted = await contactFormPost(c);
    if (posted instanceof Response) return posted;
    const { citizen, channel } = posted;
    await removeContact(c.get('sql'), citizen.citizenId, channel, c.get('deps').clock.now());
    return c.redirect(`${AVISOS}?hecho=removed`, 303);
  });

  app.post(`${AVISOS}/preferencias`, formLimit, async (c) => {
    const citizen = await postSession(c, AVISOS);
    if (citizen instanceof Response) return citizen;
    const form = await formOf(c);
    const language = typeof form.language === 'string' && isLang(form.language) ? form.language : 'es';
    const channels = list(form.channel).filter((x): x is Channel => (CHANNELS as readonly string[]).includes(x));
    const kinds = list(form.kind).filter((x): x is AvisoKind => isAvisoKind(x));
    await savePreferences(
      c.get('sql'),
      citizen.citizenId,
      { lang: language, channels, kinds },
      c.get('deps').clock.now(),
    );
    return c.redirect(`${AVISOS}?hecho=saved`, 303);
  });
}
