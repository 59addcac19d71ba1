import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { SignatureV4 } from '@smithy/signature-v4';

/**
 * How the CLI reaches a Foghorn API. A Foghorn on this machine (loopback) is called as is, with the API token when
 * there is one. Any other address is a deployment behind API Gateway, whose `/api` routes are IAM-authorised: the
 * request is signed with SigV4 for `execute-api`, with credentials from the usual AWS chain (environment, shared
 * config and SSO, web identity, container and instance roles) and the region of the execute-api host, else
 * AWS_REGION or AWS_DEFAULT_REGION. A token meant for a published local runtime (FOGHORN_PUBLIC_URL) still goes to
 * a host that is not execute-api, unsigned; an execute-api host never receives it.
 */

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** AWS credentials as the SDK's providers return them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigningOptions {
  region: string;
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  /** The signing time; now by default. */
  now?: () => Date;
}

/** No signing could be set up: no region, or no credentials in the chain. */
export class RequestSigningError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RequestSigningError';
  }
}

/** Whether the CLI signs a request to `url`, and for which region (undefined: none is known). */
export type Signing = { sign: false } | { sign: true; region: string | undefined };

export function signingFor(url: URL, hasToken: boolean, env: Readonly<Record<string, string | undefined>> = process.env): Signing {
  if (LOOPBACK.has(url.hostname)) return { sign: false };
  const executeApi = EXECUTE_API_HOST.exec(url.hostname);
  if (executeApi) return { sign: true, region: executeApi[1]! };
  if (hasToken) return { sign: false };
  return { sign: true, region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined };
}

type Init = { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal };

/** fetch for the CLI's API calls: signed for a deployment, as is for this machine (see the module comment). */
export async function runtimeFetch(input: string, init: Init): Promise<Response> {
  const url = new URL(input);
  const hasToken = Object.keys(init.headers).some((name) => name.toLowerCase() === 'authorization');
  const signing = signingFor(url, hasToken);
  if (!signing.sign) return fetch(url, init);
  const { region } = signing;
  if (region === undefined)
    throw new RequestSigningError(
      `${url.host} is not this machine, so the CLI signs its requests for API Gateway (SigV4), but cannot tell the region: set AWS_REGION, or use the execute-api URL of the deployment (a Foghorn published with FOGHORN_PUBLIC_URL takes FOGHORN_API_TOKEN instead)`,
    );
  return signedFetch(url, withoutAuthorization(init), { region, credentials: await awsCredentials() });
}

/** Sends the request signed with SigV4 for execute-api in `options.region`. */
export async function signedFetch(url: URL, init: Init, options: SigningOptions): Promise<Response> {
  const headers = await signedHeaders(url, init, options);
  // fetch sets Host itself, from the URL it was signed for.
  const { host: _host, ...sent } = headers;
  return fetch(url, { ...init, headers: sent });
}

/** The request's headers with `host`, `x-amz-date`, `x-amz-security-token` (temporary credentials) and `authorization` added. */
export async function signedHeaders(url: URL, init: Init, options: SigningOptions): Promise<Record<string, string>> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const signer: SignatureV4 = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
    uriEscapePath: true,
  });
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  const signed = await signer.sign(
    {
      method: init.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...lowercased(init.headers), host: url.host },
      ...(init.body === undefined ? {} : { body: init.body }),
    },
    { signingDate: (options.now ?? (() => new Date()))() },
  );
  return signed.headers;
}

let chain: (() => Promise<AwsCredentials>) | undefined;

/** The SDK's default chain, resolved once per process; a missing one says what the CLI was doing. */
async function awsCredentials(): Promise<AwsCredentials> {
  if (!chain) {
    const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
    chain = defaultProvider();
  }
  try {
    return await chain();
  } catch (error) {
    throw new RequestSigningError(
      `the CLI signs requests to a deployment with AWS credentials and found none (${(error as Error).message}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, for a principal granted execute-api:Invoke (the stack's ApiInvokeArn output)`,
      { cause: error },
    );
  }
}

function withoutAuthorization(init: Init): Init {
  return { ...init, headers: Object.fromEntries(Object.entries(init.headers).filter(([name]) => name.toLowerCase() !== 'authorization')) };
}

function lowercased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer asks for. */
class NodeSha256 {
  readonly #secret: Uint8Array | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#secret = secret === undefined ? undefined : bytes(secret);
    this.#hash = this.#fresh();
  }

  update(data: Uint8Array): void {
    this.#hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {
    this.#hash = this.#fresh();
  }

  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
