import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmbiguousActionError, TransientActionError } from '../../../functions/core/errors.js';
import { LiveSender } from '../../../functions/core/outbound/live-sender.js';
import { SandboxSender } from '../../../functions/core/outbound/sandbox-sender.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('LiveSender', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        });
        if (request.url === '/slow') return; // never answers
        if (request.url === '/slow-body') return void response.writeHead(200).write('{"ok":'); // the body never ends
        if (request.url === '/reset') return void request.socket.destroy(); // the connection drops after the request arrived
        if (request.url === '/limited') {
          response.writeHead(429, { 'Retry-After': '7', 'Content-Type': 'application/json' });
          response.end('{"error":"slow down"}');
          return;
        }
        response.writeHead(201, { 'Content-Type': 'application/json', 'X-Request-Id': 'r-1' });
        response.end('{"id":"m-9"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and body exactly and returns status, lower-case headers and body', async () => {
    const response = await new LiveSender().send({
      method: 'POST',
      url: `${base}/reply?x=1`,
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: '{"text":"hi"}',
    });
    expect(response).toMatchObject({ status: 201, body: '{"id":"m-9"}' });
    expect(response.headers['x-request-id']).toBe('r-1');
    expect(response.headers['content-type']).toBe('application/json');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/reply?x=1', body: '{"text":"hi"}' });
    expect(seen.at(-1)?.headers.authorization).toBe('Bearer t');
  });

  it('returns error statuses for the connector to judge instead of throwing', async () => {
    const response = await new LiveSender().send({ method: 'GET', url: `${base}/limited`, headers: {} });
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('7');
  });

  it('throws an AmbiguousActionError naming only the origin when no answer comes in time: the request may have arrived', async () => {
    const secretPath = `${base}/slow`;
    const error = await new LiveSender({ timeoutMs: 100 }).send({ method: 'GET', url: secretPath, headers: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousActionError);
    expect((error as Error).message).toBe(`GET ${base}: no answer within 100 ms (the request may have reached the platform)`);
  });

  it('throws an AmbiguousActionError when the answer starts but its body never ends, or the connection is reset', async () => {
    const slowBody = await new LiveSender({ timeoutMs: 2000 })
      .send({ method: 'POST', url: `${base}/slow-body`, headers: {}, body: '{}' })
      .catch((e: unknown) => e);
    expect(slowBody).toBeInstanceOf(AmbiguousActionError);
    expect((slowBody as Error).message).toMatch(/answered 200 but the body could not be read/);
    const reset = await new LiveSender({ timeoutMs: 5000 })
      .send({ method: 'POST', url: `${base}/reset`, headers: {}, body: '{}' })
      .catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(AmbiguousActionError);
  });

  it('throws a plain TransientActionError when the connection is refused: nothing was sent, a retry is safe', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await new LiveSender()
      .send({ method: 'POST', url: `http://127.0.0.1:${port}/bot123:secret/x`, headers: {}, body: '' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientActionError);
    expect(error).not.toBeInstanceOf(AmbiguousActionError);
    expect((error as Error).message).toBe(`POST http://127.0.0.1:${port}: ECONNREFUSED`);
  });
});

describe('SandboxSender', () => {
  it('answers a synthetic 200 without sending anything', async () => {
    const sender = new SandboxSender();
    expect(sender.mode).toBe('sandbox');
    const response = await sender.send({ method: 'POST', url: 'http://127.0.0.1:9/unreachable', headers: {}, body: 'x' });
    expect(response.status).toBe(200);
    expect(response.headers['x-foghorn-sandbox']).toBe('true');
    expect(JSON.parse(response.body)).toEqual({ ok: true, sandbox: true });
  });

  it('uses a platform-shaped answer when given one', async () => {
    const sender = new SandboxSender({
      respond: (request) => ({ status: 200, headers: {}, body: JSON.stringify({ echoed: request.url }) }),
    });
    expect((await sender.send({ method: 'GET', url: 'https://x.test/a', headers: {} })).body).toBe('{"echoed":"https://x.test/a"}');
  });
});
