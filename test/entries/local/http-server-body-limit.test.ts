import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHttpServer } from '../../../functions/entries/local/http-server.js';

const LIMIT = 1024;

/** A POST over a real socket; chunked (no Content-Length) when `declareLength` is false. */
function post(port: number, body: Buffer, declareLength: boolean): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/webhooks/generic',
        headers: { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
      },
    );
    req.on('error', reject);
    if (declareLength) req.end(body);
    else {
      // Two chunks, so the limit is crossed while reading, not announced up front.
      req.write(body.subarray(0, 600));
      req.end(body.subarray(600));
    }
  });
}

describe('LocalHttpServer body limit', () => {
  const server = new LocalHttpServer({ maxBodyBytes: LIMIT, onError: () => {} });
  const routed: number[] = [];
  let port = 0;
  beforeAll(async () => {
    server.add('POST', '/webhooks/{platform}', (incoming) => {
      routed.push(incoming.body.length);
      return { status: 200, body: { ok: true } };
    });
    port = await server.listen(0, '127.0.0.1');
  });
  afterAll(() => server.close());

  it('hands the route a body of exactly its limit', async () => {
    routed.length = 0;
    expect(await post(port, Buffer.alloc(LIMIT, 'a'), true)).toEqual({ status: 200, body: { ok: true } });
    expect(await post(port, Buffer.alloc(LIMIT, 'a'), false)).toEqual({ status: 200, body: { ok: true } });
    expect(routed).toEqual([LIMIT, LIMIT]);
  });

  it('refuses one byte more with 413 before the route runs, whether the length is declared or streamed', async () => {
    routed.length = 0;
    const refusal = { status: 413, body: { error: 'body is larger than 1 KB', detail: { limitBytes: LIMIT, limitKb: 1 } } };
    expect(await post(port, Buffer.alloc(LIMIT + 1, 'a'), true)).toEqual(refusal);
    expect(await post(port, Buffer.alloc(LIMIT + 1, 'a'), false)).toEqual(refusal);
    expect(routed).toEqual([]);
  });
});
