// A tiny receiver that verifies every delivery (Standard Webhooks) and logs it.
//   npm run example:webhook-receiver            listens on RECEIVER_PORT (default 4000)
//   WEBHOOK_SECRET=whsec_… to verify with an existing endpoint's secret; without it, and with an
//   API key (or none: a fresh test organisation), it registers an endpoint pointing at itself,
//   http://127.0.0.1:…, which the server accepts only when started with PUENTE_WEBHOOKS_ALLOW_PRIVATE=1
//   (webhook URLs must be public otherwise).
//   --once: exit after the first verified event (used by CI with a test event).
import { createServer } from 'node:http';

import { BadRequestError, Puente, WebhookVerificationError } from '@puente/sdk';

import { connect } from './connect';

const port = Number(process.env.RECEIVER_PORT ?? 4000);
const once = process.argv.includes('--once');
let secret = process.env.WEBHOOK_SECRET;
let puente: Puente | undefined;

const server = createServer((req, res) => {
  let body = '';
  // Decoded as a stream: a character split between two chunks stays whole (the signature covers its bytes).
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', async () => {
    try {
      const event = await new Puente().webhooks.unwrap(body, req.headers as Record<string, string>, secret!);
      console.log(`verified ${event.type} ${event.id}: ${JSON.stringify(event.data)}`);
      res.writeHead(204).end();
      if (once) {
        server.close();
        process.exit(0);
      }
    } catch (error) {
      console.warn(`refused a delivery: ${error instanceof WebhookVerificationError ? error.message : String(error)}`);
      res.writeHead(400).end();
    }
  });
});
await new Promise<void>((ok) => server.listen(port, ok));
console.log(`Listening on http://localhost:${port}/webhooks`);

if (!secret) {
  puente = await connect();
  const url = `http://127.0.0.1:${port}/webhooks`;
  const endpoint = await puente.webhookEndpoints.create({ url, description: 'example receiver' }).catch((error) => {
    // The server refused the URL itself: by default webhook URLs must be public (and https in production).
    if (error instanceof BadRequestError && error.problem?.errors?.some((e) => e.pointer === '/url')) {
      console.error(
        `The server refused ${url} as a webhook URL: ${error.problem.detail}\n` +
          'A local receiver needs the server started with PUENTE_WEBHOOKS_ALLOW_PRIVATE=1 (never in production):\n' +
          '  PUENTE_WEBHOOKS_ALLOW_PRIVATE=1 npm start\n' +
          "Or expose this receiver at a public https URL, register that URL, and run this with its endpoint's WEBHOOK_SECRET.",
      );
      process.exit(1);
    }
    throw error;
  });
  secret = endpoint.secret;
  console.log(`Registered endpoint ${endpoint.id}; sending a test event`);
  await puente.webhookEndpoints.test(endpoint.id);
}
if (once) setTimeout(() => (console.error('no event arrived within 30 s'), process.exit(1)), 30_000).unref();
