// A local webhook receiver, shared by tests and the soak run (no test runner imports here).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A local HTTP endpoint that records what it receives and answers what the test scripts. */
export async function startReceiver(
  respond: (r: Received, n: number) => { status: number; headers?: Record<string, string>; delayMs?: number } = () => ({
    status: 200,
  }),
) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    // Decoded as a stream: a character split between two chunks stays whole (the signature covers its bytes).
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', async () => {
      const r = { headers: req.headers, body, at: Date.now() };
      received.push(r);
      const answer = respond(r, received.length);
      if (answer.delayMs) await new Promise((ok) => setTimeout(ok, answer.delayMs));
      res.writeHead(answer.status, answer.headers ?? {});
      res.end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  return { url, received, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}
