import { createHash, createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { RequestSigningError, runtimeFetch, signedFetch, signingFor } from '../../cli/signed-fetch.js';

/**
 * The CLI against a deployment: SigV4 for execute-api. A loopback server plays API Gateway and checks every
 * signature with its own implementation of the algorithm (node:crypto, nothing from the SDK), from the credentials
 * and the time the test fixed.
 */
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SESSION = { ...CREDENTIALS, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE' };
const NOW = new Date('2026-11-22T10:00:00.000Z');
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/execute-api\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
// RFC 3986 unreserved characters stay; everything else is %XX, as SigV4 asks.
const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signature SigV4 gives this request: canonical request, string to sign, derived key (AWS's documented algorithm). */
function expectedSignature(request: Received, signedHeaders: string[], region: string, secret: string): string {
  const url = new URL(request.url, 'http://placeholder');
  const amzDate = String(request.headers['x-amz-date']);
  const day = amzDate.slice(0, 8);
  // API Gateway is not S3: each path segment is encoded twice.
  const canonicalPath = url.pathname
    .split('/')
    .map((segment) => encode(encode(decodeURIComponent(segment))))
    .join('/');
  const canonicalQuery = [...url.searchParams]
    .map(([name, value]) => [encode(name), encode(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${String(request.headers[name]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [
    request.method,
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    sha256(request.body),
  ].join('\n');
  const scope = `${day}/${region}/execute-api/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 'execute-api'), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/** What the server made of a request: the parts of its Authorization, and whether the signature is the one expected. */
function verify(request: Received, region: string, secret = CREDENTIALS.secretAccessKey) {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ''));
  if (!match) return { signed: false as const };
  const [, accessKeyId, day, scopeRegion, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
  return {
    signed: true as const,
    accessKeyId,
    day,
    region: scopeRegion,
    signedHeaders: signedHeaders.split(';'),
    valid: signature === expectedSignature(request, signedHeaders.split(';'), region, secret),
  };
}

async function listen(host: string, answer: (request: Received) => { status: number; body: unknown }) {
  const received: Received[] = [];
  const server: Server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request = {
      method: incoming.method ?? '',
      url: incoming.url ?? '',
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    received.push(request);
    const { status, body } = answer(request);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.listen(0, host);
  await once(server, 'listening');
  return { base: `http://${host}:${(server.address() as AddressInfo).port}`, received, close: () => server.close() };
}

describe('signedFetch', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    server = await listen('127.0.0.1', () => ({ status: 200, body: { ok: true } }));
  });
  afterAll(() => server.close());

  it('signs a GET with its query for execute-api: the Authorization shape, the signed headers and the exact signature', async () => {
    const response = await signedFetch(
      new URL(`${server.base}/api/approvals?status=pending&limit=5&note=a b`),
      { method: 'GET', headers: {} },
      {
        region: 'eu-west-1',
        credentials: CREDENTIALS,
        now: () => NOW,
      },
    );

    expect(response.status).toBe(200);
    const request = server.received.at(-1)!;
    expect(request.headers['x-amz-date']).toBe('20261122T100000Z');
    expect(verify(request, 'eu-west-1')).toEqual({
      signed: true,
      accessKeyId: 'AKIDEXAMPLE',
      day: '20261122',
      region: 'eu-west-1',
      signedHeaders: ['host', 'x-amz-content-sha256', 'x-amz-date'],
      valid: true,
    });
    // The same request under another secret or region has another signature: the check can fail.
    expect(verify(request, 'us-east-1').valid).toBe(false);
    expect(verify(request, 'eu-west-1', 'another-secret').valid).toBe(false);
  });

  it('signs a POST over its body and content type, with the session token of temporary credentials', async () => {
    const body = JSON.stringify({ who: 'maya', why: 'outage' });
    await signedFetch(
      new URL(`${server.base}/api/crisis/on`),
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body },
      { region: 'ap-southeast-2', credentials: async () => SESSION, now: () => NOW },
    );

    const request = server.received.at(-1)!;
    expect(request.body).toBe(body);
    expect(request.headers['x-amz-security-token']).toBe(SESSION.sessionToken);
    const checked = verify(request, 'ap-southeast-2');
    expect(checked).toMatchObject({ signed: true, region: 'ap-southeast-2', valid: true });
    expect(checked.signed && checked.signedHeaders).toEqual([
      'content-type',
      'host',
      'x-amz-content-sha256',
      'x-amz-date',
      'x-amz-security-token',
    ]);
    // A body changed on the way no longer matches its signature.
    expect(verify({ ...request, body: body.replace('maya', 'mallory') }, 'ap-southeast-2').valid).toBe(false);
  });

  it('calls this machine unsigned, with the API token as it was given', async () => {
    await runtimeFetch(`${server.base}/api/crisis`, { method: 'GET', headers: { authorization: 'Bearer local-token' } });
    await runtimeFetch(`${server.base}/api/crisis`, { method: 'GET', headers: {} });

    const [withToken, without] = server.received.slice(-2);
    expect(withToken!.headers.authorization).toBe('Bearer local-token');
    expect(without!.headers.authorization).toBeUndefined();
    expect(without!.headers['x-amz-date']).toBeUndefined();
  });
});

describe('when the CLI signs', () => {
  const url = (text: string) => new URL(text);

  it('signs for an execute-api host in its own region, whatever AWS_REGION says, even with an API token set', () => {
    expect(
      signingFor(url('https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/api/crisis'), true, { AWS_REGION: 'us-east-1' }),
    ).toEqual({
      sign: true,
      region: 'eu-central-1',
    });
    expect(signingFor(url('https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn'), false, {})).toEqual({
      sign: true,
      region: 'cn-north-1',
    });
  });

  it('signs for another host (a custom domain) in AWS_REGION, else AWS_DEFAULT_REGION; a token there goes unsigned', () => {
    expect(signingFor(url('https://foghorn.example.com'), false, { AWS_REGION: 'eu-west-1' })).toEqual({ sign: true, region: 'eu-west-1' });
    expect(signingFor(url('https://foghorn.example.com'), false, { AWS_DEFAULT_REGION: 'sa-east-1' })).toEqual({
      sign: true,
      region: 'sa-east-1',
    });
    expect(signingFor(url('https://foghorn.example.com'), false, {})).toEqual({ sign: true, region: undefined });
    expect(signingFor(url('https://foghorn.example.com'), true, { AWS_REGION: 'eu-west-1' })).toEqual({ sign: false });
  });

  it('never signs for loopback', () => {
    for (const base of ['http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787'])
      expect(signingFor(url(base), false, { AWS_REGION: 'eu-west-1' }), base).toEqual({ sign: false });
  });
});

describe('foghorn crisis status --url <a deployment>', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  const saved: Record<string, string | undefined> = {};
  const setEnv = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (!(name in saved)) saved[name] = process.env[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  beforeAll(async () => {
    // 127.0.0.2 is this machine too, but not an address the CLI treats as its own Foghorn: it signs, as for AWS.
    server = await listen('127.0.0.2', (request) =>
      verify(request, 'eu-west-1').signed && verify(request, 'eu-west-1').valid
        ? { status: 200, body: { crisis: { on: true, since: '2026-11-22T09:00:00.000Z', by: 'user:maya', why: 'outage' } } }
        : { status: 403, body: { message: 'Forbidden' } },
    );
  });
  afterAll(() => server.close());
  afterEach(() => setEnv(saved));

  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), env: {}, cwd: process.cwd() };
    return { code: await main(argv, io), out, err };
  };

  it('signs with the credentials of the AWS chain (here the environment) and prints the state', async () => {
    setEnv({
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_REGION: 'eu-west-1',
    });

    const result = await run(['crisis', 'status', '--url', server.base]);

    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toEqual(['crisis mode is ON since 2026-11-22T09:00:00.000Z (by user:maya: outage)']);
    const request = server.received.at(-1)!;
    expect(verify(request, 'eu-west-1')).toMatchObject({ signed: true, accessKeyId: 'AKIDEXAMPLE', valid: true });
  });

  it('without a region for a host that is not execute-api, says to set AWS_REGION and sends nothing', async () => {
    setEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined });
    const before = server.received.length;

    const result = await run(['crisis', 'status', '--url', server.base]);

    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toMatch(/cannot tell the region: set AWS_REGION/);
    expect(server.received.length).toBe(before);
  });

  it('refuses to sign without a region, as a RequestSigningError', async () => {
    setEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined });
    await expect(runtimeFetch(`${server.base}/api/crisis`, { method: 'GET', headers: {} })).rejects.toBeInstanceOf(RequestSigningError);
  });
});
