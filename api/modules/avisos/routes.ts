import type { Context } from 'hono';

import { citizenPrincipal } from '../../http/auth';
import type { App, AppEnv } from '../../http/context';
import { accepted, del, get, ok, post, put, routesOf } from '../../http/openapi';
import { createdPage } from '../../http/pagination';
import { ProblemError, problemResponse } from '../../http/problem';
import { citizenLivemodeFilter } from '../citizen/routes';
import { toAviso, toAvisoSettings } from './mappers';
import type { Channel } from './messages';
import { listAttempts, listCitizenAvisos } from './queries';
import {
  AvisoPageSchema,
  AvisoSettingsSchema,
  ConfirmContactBody,
  ContactParams,
  ListMyAvisosQuery,
  StartContactBody,
  UpdateAvisoSettingsBody,
} from './schemas';
import { confirmContact, readSettings, removeContact, savePreferences, startContactConfirmation } from './service';

const routes = routesOf('Citizen', {
  listMyAvisos: get('/v1/me/avisos', {
    operationId: 'listMyAvisos',
    summary: 'Avisos sent to me',
    description:
      'For the signed-in citizen: every aviso Puente queued for them (email or SMS), newest first, with each delivery attempt and its outcome.',
    auth: 'citizenRead',
    query: ListMyAvisosQuery,
    responses: ok('A page of avisos.', AvisoPageSchema),
  }),
  getSettings: get('/v1/me/aviso-settings', {
    operationId: 'getMyAvisoSettings',
    summary: 'My aviso settings',
    description:
      'Contacts (confirmed, and any waiting for their code), channels, language and the kinds of aviso wanted.',
    auth: 'citizenRead',
    responses: ok("The citizen's aviso settings.", AvisoSettingsSchema),
  }),
  putSettings: put('/v1/me/aviso-settings', {
    operationId: 'updateMyAvisoSettings',
    summary: 'Choose channels, language and kinds',
    description:
      'Replaces the channels, language and kinds of aviso wanted. A kind left out is not sent again, also if already queued.',
    auth: 'citizenWrite',
    body: UpdateAvisoSettingsBody,
    responses: ok("The citizen's aviso settings.", AvisoSettingsSchema),
  }),
  startContact: post('/v1/me/aviso-settings/contacts/{channel}', {
    operationId: 'startMyContactConfirmation',
    summary: 'Set my email or phone (sends a code)',
    description:
      'Sends a six-digit code to the address or number; it becomes the citizen’s contact once the code is confirmed (15 minutes, 5 tries). At most 5 codes an hour.',
    auth: 'citizenWrite',
    params: ContactParams,
    body: StartContactBody,
    responses: accepted('The code is on its way; `pending` shows the contact waiting for it.', AvisoSettingsSchema),
  }),
  confirm: post('/v1/me/aviso-settings/contacts/{channel}/confirm', {
    operationId: 'confirmMyContact',
    summary: 'Confirm my email or phone with its code',
    description:
      'Checks the code sent to the contact waiting for it; right, that contact receives the avisos from now on. Each wrong code counts: the fifth ends it.',
    auth: 'citizenWrite',
    params: ContactParams,
    body: ConfirmContactBody,
    problems: ['contact_code_invalid', 'contact_code_expired'],
    responses: ok("The citizen's aviso settings.", AvisoSettingsSchema),
  }),
  remove: del('/v1/me/aviso-settings/contacts/{channel}', {
    operationId: 'removeMyContact',
    summary: 'Remove my email or phone',
    description: 'Forgets the confirmed contact and any code waiting on that channel; no aviso goes there again.',
    auth: 'citizenWrite',
    params: ContactParams,
    responses: ok("The citizen's aviso settings.", AvisoSettingsSchema),
  }),
});

export function channelOf(param: 'email' | 'phone'): Channel {
  return param === 'email' ? 'email' : 'sms';
}

export function avisosPage(c: Context<AppEnv>, citizenId: string, query: { limit: number; cursor?: string }) {
  return createdPage(
    'my_avisos',
    query,
    async (p) => {
      const rows = await listCitizenAvisos(c.get('sql'), { citizenId, livemode: citizenLivemodeFilter(c), ...p });
      const attempts = await listAttempts(
        c.get('sql'),
        rows.slice(0, p.limit).map((r) => r.id),
      );
      return rows.map((r) => ({ ...r, attemptRows: attempts.filter((a) => a.aviso_id === r.id) }));
    },
    (r) => toAviso(r, r.attemptRows),
  );
}

export function registerAvisos(app: App): void {
  app.openapi(routes.listMyAvisos, async (c) => {
    return c.json(await avisosPage(c, citizenPrincipal(c).citizenId, c.req.valid('query')), 200);
  });

  app.openapi(routes.getSettings, async (c) => {
    const settings = await readSettings(c.get('sql'), citizenPrincipal(c).citizenId, c.get('deps').clock.now());
    return c.json(toAvisoSettings(settings), 200);
  });

  app.openapi(routes.putSettings, async (c) => {
    const principal = citizenPrincipal(c);
    const body = c.req.valid('json');
    const settings = await savePreferences(
      c.get('sql'),
      principal.citizenId,
      { lang: body.language, channels: body.channels, kinds: body.kinds },
      c.get('deps').clock.now(),
    );
    return c.json(toAvisoSettings(settings), 200);
  });

  app.openapi(routes.startContact, async (c) => {
    const principal = citizenPrincipal(c);
    const settings = await startContactConfirmation(
      c.get('sql'),
      c.get('deps').config,
      { citizenId: principal.citizenId, name: principal.name, livemode: true },
      channelOf(c.req.valid('param').channel),
      c.req.valid('json').value,
      c.get('deps').clock.now(),
    );
    return c.json(toAvisoSettings(settings), 202);
  });

  app.openapi(routes.confirm, async (c) => {
    const principal = citizenPrincipal(c);
    const settings = await confirmContact(
      c.get('sql'),
      c.get('deps').config,
      principal.citizenId,
      channelOf(c.req.valid('param').channel),
      c.req.valid('json').code,
      c.get('deps').clock.now(),
    );
    // Answered, not thrown, so the wrong attempt it counted commits with it. (The declared problems
    // are documented from the route's `problems`; the typed responses list the success only.)
    if (settings instanceof ProblemError) return problemResponse(settings, c.get('requestId')) as never;
    return c.json(toAvisoSettings(settings), 200);
  });

  app.openapi(routes.remove, async (c) => {
    const principal = citizenPrincipal(c);
    const settings = await removeContact(
      c.get('sql'),
      principal.citizenId,
      channelOf(c.req.valid('param').channel),
      c.get('deps').clock.now(),
    );
    return c.json(toAvisoSettings(settings), 200);
  });
}
