// The harness's own HTTP client for the requests it scripts (fixtures, filings, webhook tests).
// It shares the two cores with the server and PostgreSQL, so it must cost as little as
// autocannon does for the other scenarios: `node:http` on kept-alive connections, and bodies
// encoded once (a filing uploads the same PDF every time). Through `fetch` with a `FormData`,
// the harness spent about 8 ms of CPU per filing, as much as the server.
import { Agent, request } from 'node:http';

/** A request body encoded once, with its content type. */
export class Body {
  constructor(
    readonly bytes: Buffer,
    readonly type: string,
  ) {}

  static json(value: unknown): Body {
    return new Body(Buffer.from(JSON.stringify(value)), 'application/json');
  }

  /** `multipart/form-data` with text fields and one file, as a browser or the SDK sends an upload. */
  static multipart(
    fields: Record<string, string>,
    file: { field: string; name: string; type: string; bytes: Uint8Array },
  ) {
    const boundary = `----puente-bench-${Math.random().toString(36).slice(2)}`;
    const parts = Object.entries(fields).map(
      ([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    return new Body(
      Buffer.concat([
        Buffer.from(
          `${parts.join('')}--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
            `content-type: ${file.type}\r\n\r\n`,
        ),
        file.bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      `multipart/form-data; boundary=${boundary}`,
    );
  }
}

/** Sends requests to `base`; answers the parsed JSON body, and throws on a status of 300 or more. */
export function httpClient(base: string) {
  const { hostname, port } = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return function call(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: Body | unknown,
  ): Promise<any> {
    const payload = body === undefined ? undefined : body instanceof Body ? body : Body.json(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          hostname,
          port,
          path,
          method,
          agent,
          headers: payload
            ? { ...headers, 'content-type': payload.type, 'content-length': payload.bytes.length }
            : { ...headers, 'content-length': 0 },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode! >= 300) return reject(new Error(`${method} ${path} → ${res.statusCode} ${text}`));
            try {
              resolve(text ? JSON.parse(text) : undefined);
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('error', reject);
      // A server that stops answering fails the run rather than hanging it.
      req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${path}: no answer in 120 s`)));
      req.end(payload?.bytes);
    });
  };
}
