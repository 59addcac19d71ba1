/**
 * The end-to-end bench's ceiling, run as its own process: a bare `node:http` server that reads a webhook,
 * checks its `X-Foghorn-Signature` (HMAC-SHA256 of the raw body, compared in constant time, as the generic
 * platform does) and answers 200, storing nothing. Prints `bare server listening <port>` once it listens.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const secret = process.env.BARE_HMAC_SECRET;
if (!secret) throw new Error('bare-hmac-server: set BARE_HMAC_SECRET to the generic signing secret');

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(Buffer.concat(chunks)).digest('hex')}`);
    const header = request.headers['x-foghorn-signature'];
    const got = Buffer.from(typeof header === 'string' ? header.trim().toLowerCase() : '');
    const valid = got.length === expected.length && timingSafeEqual(got, expected);
    response.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
    response.end(valid ? '{"ok":true}' : '{"error":"x-foghorn-signature does not match the body"}');
  });
});
// The same keep-alive window as the local runtime's server (functions/entries/local/http-server.ts).
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`bare server listening ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
