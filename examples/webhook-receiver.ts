// A tiny receiver that verifies every delivery (Standard Webhooks) and logs it.
//   npm run example:webhook-receiver            listens on RECEIVER_PORT (default 4000)
//   WEBHOOK_SECRET=whsec_… to verify with an existing endpoint's secret; without it, and with an
//   API key (or none: a fresh test organisation), it registers an endpoint pointing at itself.
//   --once: exit after the first verified event (used by CI with a test event).
import { createServer } from 'node:http';

import { Puente, WebhookVerificationError } from '@puente/sdk';

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
  const endpoint = await puente.webhookEndpoints.create({
    url: `http://127.0.0.1:${port}/webhooks`,
    description: 'example receiver',
  });
  secret = endpoint.secret;
  console.log(`Registered endpoint ${endpoint.id}; sending a test event`);
  await puente.webhookEndpoints.test(endpoint.id);
}
if (once) setTimeout(() => (console.error('no event arrived within 30 s'), process.exit(1)), 30_000).unref();
