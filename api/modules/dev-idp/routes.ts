import { z } from '@hono/zod-openapi';

import type { App } from '../../http/context';
import { personalIdField } from '../../http/fields';
import { parseJsonBody } from '../../http/openapi';
import { issueDevIdToken } from './tokens';

const TokenRequest = z.object({ id_number: personalIdField(), name: z.string().min(2).max(200) }).strict();

/**
 * A development stand-in for Cl@ve: it signs ID tokens for whatever id number it is given, so it
 * is off in production unless explicitly enabled. Not part of the public API document.
 */
export function registerDevIdentityProvider(app: App): void {
  app.get('/dev-idp/jwks.json', async (c) => {
    const { signingKeys, clock } = c.get('deps');
    return c.json(await signingKeys.jwks(c.get('sql'), 'dev_idp', clock.now()));
  });

  app.post('/dev-idp/token', async (c) => {
    const body = parseJsonBody(TokenRequest, await c.req.json().catch(() => null));
    const { config, signingKeys, clock } = c.get('deps');
    const idToken = await issueDevIdToken(signingKeys, c.get('sql'), config, body.id_number, body.name, clock.now());
    c.header('x-puente-development', 'This identity provider is for development only.');
    return c.json({ id_token: idToken, token_type: 'Bearer', expires_in: 3600 });
  });
}
