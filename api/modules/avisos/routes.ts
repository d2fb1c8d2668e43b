import type { Context } from 'hono';

import { citizenPrincipal } from '../../http/auth';
import type { App, AppEnv } from '../../http/context';
import { defineRoute, jsonBody, jsonResponse } from '../../http/openapi';
import { decodeCursor, toPage } from '../../http/pagination';
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

const TAG = 'Citizen';
const SETTINGS = jsonResponse("The citizen's aviso settings.", AvisoSettingsSchema);

const listMyAvisos = defineRoute({
  method: 'get',
  path: '/v1/me/avisos',
  operationId: 'listMyAvisos',
  tags: [TAG],
  summary: 'Avisos sent to me',
  description:
    'For the signed-in citizen: every aviso Puente queued for them (email or SMS), newest first, with each delivery attempt and its outcome.',
  auth: 'citizenRead',
  request: { query: ListMyAvisosQuery },
  responses: {
    200: jsonResponse('A page of avisos.', AvisoPageSchema),
  },
});

const getSettings = defineRoute({
  method: 'get',
  path: '/v1/me/aviso-settings',
  operationId: 'getMyAvisoSettings',
  tags: [TAG],
  summary: 'My aviso settings',
  description:
    'Contacts (confirmed, and any waiting for their code), channels, language and the kinds of aviso wanted.',
  auth: 'citizenRead',
  responses: { 200: SETTINGS },
});

const putSettings = defineRoute({
  method: 'put',
  path: '/v1/me/aviso-settings',
  operationId: 'updateMyAvisoSettings',
  tags: [TAG],
  summary: 'Choose channels, language and kinds',
  description:
    'Replaces the channels, language and kinds of aviso wanted. A kind left out is not sent again, also if already queued.',
  auth: 'citizenWrite',
  request: { body: jsonBody(UpdateAvisoSettingsBody) },
  responses: { 200: SETTINGS },
});

const startContact = defineRoute({
  method: 'post',
  path: '/v1/me/aviso-settings/contacts/{channel}',
  operationId: 'startMyContactConfirmation',
  tags: [TAG],
  summary: 'Set my email or phone (sends a code)',
  description:
    'Sends a six-digit code to the address or number; it becomes the citizen’s contact once the code is confirmed (15 minutes, 5 tries). At most 5 codes an hour.',
  auth: 'citizenWrite',
  request: {
    params: ContactParams,
    body: jsonBody(StartContactBody),
  },
  responses: {
    202: { ...SETTINGS, description: 'The code is on its way; `pending` shows the contact waiting for it.' },
  },
});

const confirm = defineRoute({
  method: 'post',
  path: '/v1/me/aviso-settings/contacts/{channel}/confirm',
  operationId: 'confirmMyContact',
  tags: [TAG],
  summary: 'Confirm my email or phone with its code',
  description:
    'Checks the code sent to the contact waiting for it; right, that contact receives the avisos from now on. Each wrong code counts: the fifth ends it.',
  auth: 'citizenWrite',
  request: {
    params: ContactParams,
    body: jsonBody(ConfirmContactBody),
  },
  problems: ['contact_code_invalid', 'contact_code_expired'],
  responses: { 200: SETTINGS },
});

const remove = defineRoute({
  method: 'delete',
  path: '/v1/me/aviso-settings/contacts/{channel}',
  operationId: 'removeMyContact',
  tags: [TAG],
  summary: 'Remove my email or phone',
  description: 'Forgets the confirmed contact and any code waiting on that channel; no aviso goes there again.',
  auth: 'citizenWrite',
  request: { params: ContactParams },
  responses: { 200: SETTINGS },
});

export function channelOf(param: 'email' | 'phone'): Channel {
  return param === 'email' ? 'email' : 'sms';
}

export async function avisosPage(c: Context<AppEnv>, citizenId: string, limit: number, cursor?: string) {
  const after = cursor ? (decodeCursor('my_avisos', cursor, 2) as [string, string]) : undefined;
  const rows = await listCitizenAvisos(c.get('sql'), {
    citizenId,
    livemode: citizenLivemodeFilter(c),
    after,
    limit,
  });
  const attempts = await listAttempts(
    c.get('sql'),
    rows.slice(0, limit).map((r) => r.id),
  );
  return toPage(
    rows,
    limit,
    'my_avisos',
    (r) => [r.created_at.toISOString(), r.id],
    (r) =>
      toAviso(
        r,
        attempts.filter((a) => a.aviso_id === r.id),
      ),
  );
}

export function registerAvisos(app: App): void {
  app.openapi(listMyAvisos, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    return c.json(await avisosPage(c, citizenPrincipal(c).citizenId, limit, cursor), 200);
  });

  app.openapi(getSettings, async (c) => {
    const settings = await readSettings(c.get('sql'), citizenPrincipal(c).citizenId, c.get('deps').clock.now());
    return c.json(toAvisoSettings(settings), 200);
  });

  app.openapi(putSettings, async (c) => {
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

  app.openapi(startContact, async (c) => {
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

  app.openapi(confirm, async (c) => {
    const principal = citizenPrincipal(c);
    const settings = await confirmContact(
      c.get('sql'),
      c.get('deps').config,
      principal.citizenId,
      channelOf(c.req.valid('param').channel),
      c.req.valid('json').code,
      c.get('deps').clock.now(),
    );
    return c.json(toAvisoSettings(settings), 200);
  });

  app.openapi(remove, async (c) => {
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
