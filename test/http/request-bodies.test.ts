import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

import { describe, expect, it, onTestFinished } from 'vitest';

import { fileServedApp } from '../support/app';
import { auth, dni, registerOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft, PDF_BYTES } from '../support/procedures';

/**
 * Request bodies through the real Node server, byte for byte as clients send them. A body with a
 * Content-Length is read straight from Node's request; a chunked one through the web `Request`.
 * Both must be read alike: the same JSON, the same multipart file, the same idempotency
 * fingerprint, the same limits and errors.
 */
const { t, server } = await fileServedApp();

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, any>;
}

/**
 * Sends `parts` as separate writes (so the server receives the body in pieces), with a
 * Content-Length or, when `chunked`, in chunked transfer encoding.
 */
function send(
  path: string,
  headers: Record<string, string>,
  parts: Uint8Array[],
  { chunked = false } = {},
): Promise<Answer> {
  const length = parts.reduce((n, p) => n + p.length, 0);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        headers: chunked ? headers : { ...headers, 'content-length': String(length) },
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, text, json: text ? JSON.parse(text) : {} }),
        );
      },
    );
    req.on('error', reject);
    void (async () => {
      for (const part of parts) {
        req.write(part);
        // A pause between writes, so that each part arrives as its own read on the server.
        await new Promise((r) => setTimeout(r, 5));
      }
      req.end();
    })();
  });
}

/** Sends `head` and `body` on a raw socket and answers the response's status line and text. */
function raw(head: string, body: Uint8Array = new Uint8Array(), { destroyAfterWrite = false } = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write(`${head}\r\nconnection: close\r\n\r\n`);
      if (body.length) socket.write(body);
      if (destroyAfterWrite) setTimeout(() => (socket.destroy(), resolve({ status: 0, text: '' })), 20);
    });
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('error', reject);
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]), text: data }));
  });
}

/** How many bodies the server has read straight from Node's request, from now until the test ends. */
function countDirectReads(): () => number {
  const readBody = t.deps!.readBody!;
  let direct = 0;
  t.deps!.readBody = (c) => {
    const read = readBody(c);
    if (read) direct++;
    return read;
  };
  onTestFinished(() => {
    t.deps!.readBody = readBody;
  });
  return () => direct;
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const json = (key: string, extra: Record<string, string> = {}) =>
  auth(key, { 'content-type': 'application/json', ...extra });

describe('a JSON body over a real socket', () => {
  it('is read alike with a Content-Length and chunked, even when a character is split between reads', async () => {
    const org = await registerOrg(t);
    const direct = countDirectReads();
    for (const [n, chunked] of [
      [6001, false],
      [6002, true],
    ] as const) {
      const body = bytes(JSON.stringify({ name: 'Ana Núñez Peñalver', id_number: dni(n), role: 'agent' }));
      // Cut inside the two bytes of "ú".
      const cut = Buffer.from(body).indexOf(0xc3) + 1;
      const answer = await send('/v1/members', json(org.testKey), [body.subarray(0, cut), body.subarray(cut)], {
        chunked,
      });
      expect(answer.status, answer.text).toBe(201);
      expect(answer.json.name).toBe('Ana Núñez Peñalver');
      expect(direct()).toBe(1);
    }
    // A large body is read only once something needs it: not for a caller refused before that.
    const large = bytes(JSON.stringify({ name: 'x'.repeat(100_000) }));
    const refused = await send('/v1/members', json('sk_test_unknown'), [large]);
    expect(refused.status).toBe(401);
    expect(direct()).toBe(1);
    const rows = await t.sql<{ name: string }[]>`
      select name from members where organization_id = ${org.id} and role = 'agent' order by name`;
    expect(rows.map((r) => r.name)).toEqual(['Ana Núñez Peñalver', 'Ana Núñez Peñalver']);
  });

  it('reads byte-order marks as the web Request does, whichever way the body comes', async () => {
    const org = await registerOrg(t);
    let n = 6010;
    // `Request.text()` drops a UTF-8 BOM and then decodes, which drops one more: two are read, three are not JSON.
    for (const [marks, status] of [
      ['\uFEFF', 201],
      ['\uFEFF\uFEFF', 201],
      ['\uFEFF\uFEFF\uFEFF', 400],
    ] as const) {
      for (const chunked of [false, true]) {
        const body = bytes(`${marks}${JSON.stringify({ name: 'Luis Sanz', id_number: dni(n++), role: 'agent' })}`);
        expect((await send('/v1/members', json(org.testKey), [body], { chunked })).status).toBe(status);
      }
    }
  });

  it('answers malformed JSON with 400 malformed_json, and writes nothing', async () => {
    const org = await registerOrg(t);
    for (const chunked of [false, true]) {
      const answer = await send('/v1/members', json(org.testKey), [bytes('{"name": "Ana", ')], { chunked });
      expect(answer.status).toBe(400);
      expect(answer.json.code).toBe('malformed_json');
    }
    const [row] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from members where organization_id = ${org.id} and role = 'agent'`;
    expect(row!.n).toBe(0);
  });

  it('refuses a declared Content-Length over the limit before reading the body, and a chunked body once it passes it', async () => {
    const org = await registerOrg(t);
    const limit = t.deps!.config.maxJsonBodyBytes;
    const declared = await raw(
      `POST /v1/members HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${org.testKey}\r\ncontent-type: application/json\r\ncontent-length: ${limit + 1}`,
    );
    expect(declared.status).toBe(413);
    expect(declared.text).toContain('"code":"payload_too_large"');
    const big = bytes(JSON.stringify({ name: 'x'.repeat(limit), id_number: dni(6004), role: 'agent' }));
    const chunked = await send('/v1/members', json(org.testKey), [big.subarray(0, 65536), big.subarray(65536)], {
      chunked: true,
    });
    expect(chunked.status).toBe(413);
    expect(chunked.json.code).toBe('payload_too_large');
  });

  it('gives the same idempotency fingerprint to a body sent with a Content-Length and sent chunked', async () => {
    const org = await registerOrg(t);
    const headers = json(org.testKey, { 'idempotency-key': 'socket-member-1' });
    const body = bytes(JSON.stringify({ name: 'Eva Ruiz', id_number: dni(6005), role: 'agent' }));
    const first = await send('/v1/members', headers, [body]);
    const retry = await send('/v1/members', headers, [body.subarray(0, 7), body.subarray(7)], { chunked: true });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.text).toBe(first.text);
    const other = bytes(JSON.stringify({ name: 'Eva Ruiz', id_number: dni(6006), role: 'agent' }));
    const conflict = await send('/v1/members', headers, [other]);
    expect(conflict.status).toBe(422);
    expect(conflict.json.code).toBe('idempotency_conflict');
  });

  it('serves a client that half-closes its connection once its request is sent', async () => {
    const org = await registerOrg(t);
    const body = bytes(JSON.stringify({ name: 'Rosa Vidal', id_number: dni(6008), role: 'agent' }));
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          `POST /v1/members HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${org.testKey}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
        );
        socket.end(body);
      });
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('error', reject);
      socket.on('close', () => resolve(data));
    });
    // Whether or not the answer reaches the client, the request it sent in full is carried out.
    expect(answer === '' || answer.startsWith('HTTP/1.1 201')).toBe(true);
    await expect
      .poll(async () => {
        const [row] = await t.sql<{ n: number }[]>`
          select count(*)::int as n from members where organization_id = ${org.id} and name = 'Rosa Vidal'`;
        return row!.n;
      })
      .toBe(1);
  });

  it('holds a multipart body sent to a JSON route to the JSON limit', async () => {
    const org = await registerOrg(t);
    const limit = t.deps!.config.maxJsonBodyBytes;
    const boundary = 'puente-test-boundary';
    const answer = await raw(
      `POST /v1/members HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${org.testKey}\r\nidempotency-key: multipart-member\r\ncontent-type: multipart/form-data; boundary=${boundary}\r\ncontent-length: ${limit + 1}`,
    );
    expect(answer.status).toBe(413);
    expect(answer.text).toContain('"code":"payload_too_large"');
  });

  it('survives a client that sends less than it declared and goes away, and serves the next request', async () => {
    const org = await registerOrg(t);
    const body = bytes(JSON.stringify({ name: 'Pablo Gil', id_number: dni(6007), role: 'agent' }));
    await raw(
      `POST /v1/members HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${org.testKey}\r\ncontent-type: application/json\r\ncontent-length: ${body.length + 10}`,
      body,
      { destroyAfterWrite: true },
    );
    const next = await send('/v1/members', json(org.testKey), [body]);
    expect(next.status).toBe(201);
    const [row] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from members where organization_id = ${org.id} and role = 'agent'`;
    expect(row!.n).toBe(1);
  });
});

describe('a multipart upload over a real socket', () => {
  it('stores the exact bytes with a Content-Length, and a chunked retry under its key replays it', async () => {
    const org = await registerOrg(t);
    const { token, draft } = await delegatedDraft(t, org.testKey);
    const pdf = new Uint8Array(100 * 1024);
    pdf.set(PDF_BYTES);
    for (let i = PDF_BYTES.length; i < pdf.length; i++) pdf[i] = (i * 31) % 251;
    const form = new FormData();
    form.set('kind', 'DNI_NIE');
    form.set('file', new Blob([pdf], { type: 'application/pdf' }), 'dni.pdf');
    const encoded = new Response(form);
    const contentType = encoded.headers.get('content-type')!;
    const body = new Uint8Array(await encoded.arrayBuffer());
    const headers = consentHeaders(org.testKey, token, {
      'content-type': contentType,
      'idempotency-key': 'socket-upload-1',
    });
    const path = `/v1/procedures/${draft.id}/documents`;
    const parts = [body.subarray(0, 1000), body.subarray(1000, 70_000), body.subarray(70_000)];
    const direct = countDirectReads();
    const first = await send(path, headers, parts);
    expect(direct()).toBe(1);
    expect(first.status, first.text).toBe(201);
    expect(first.json.size_bytes).toBe(pdf.length);
    expect(first.json.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    const retry = await send(path, headers, parts, { chunked: true });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.text).toBe(first.text);
    const [stored] = await t.sql<{ content: Uint8Array }[]>`
      select b.content from document_blobs b join documents d on d.storage_key = b.storage_key where d.id = ${first.json.id}`;
    expect(Buffer.from(stored!.content).equals(Buffer.from(pdf))).toBe(true);
  });
});
