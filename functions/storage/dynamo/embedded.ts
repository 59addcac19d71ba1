import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DYNALITE_WITH_EXTENSIONS_SOURCE, dynaliteWithExtensions } from './dynalite-extensions.js';
import { ensureTable } from './table.js';

export interface EmbeddedDynamo {
  client: DynamoDBClient;
  endpoint: string;
  tableName: string;
  stop(): Promise<void>;
}

export interface EmbeddedDynamoOptions {
  /** Persist under this folder; in memory when absent. */
  path?: string;
  tableName?: string;
  /**
   * Run dynalite on a worker thread, so storage gets the second core while the handlers use the first.
   * A worker dies with its process (unlike a child process, which would outlive a SIGKILL holding the data lock).
   */
  inWorker?: boolean;
  /**
   * Serve only the returned client: dynalite checks no signature, so every start makes a random access key id
   * and the server refuses any request signed with another (UnrecognizedClientException), a browser's included.
   */
  privateCredential?: boolean;
}

/** Another process holds the folder's LevelDB lock: two stores on one folder would corrupt it. */
export class EmbeddedDynamoLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly lockFile: string,
  ) {
    super(`the embedded DynamoDB folder ${folder} is in use by another process (it holds ${lockFile})`);
    this.name = 'EmbeddedDynamoLockedError';
  }
}

interface Listening {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts dynalite (a DynamoDB that speaks the real API, with the two calls it lacks added:
 * dynalite-extensions.ts) on a loopback port, persisted under `path` or in memory when no path is given,
 * and creates Foghorn's table in it.
 */
export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  if (options.path) await probeLock(options.path);
  const dynaliteOptions = { ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
  const credentials = options.privateCredential
    ? { accessKeyId: `FOGHORN${randomBytes(16).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64') }
    : { accessKeyId: 'local', secretAccessKey: 'local' };
  const onlyKey = options.privateCredential ? credentials.accessKeyId : undefined;
  const listening = options.inWorker ? await listenInWorker(dynaliteOptions, onlyKey) : await listenHere(dynaliteOptions, onlyKey);
  const endpoint = `http://127.0.0.1:${listening.port}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials, maxAttempts: 3 });
  const tableName = options.tableName ?? 'foghorn';
  await ensureTable(client, tableName);
  return {
    client,
    endpoint,
    tableName,
    stop: async () => {
      client.destroy();
      await listening.close();
    },
  };
}

/**
 * Opens and closes the folder's LevelDB first: dynalite opens it lazily, and a locked folder would only show as
 * a crashed store (ECONNREFUSED) on the first request. The OS drops the lock with the process that held it.
 */
async function probeLock(path: string): Promise<void> {
  const { Level } = createRequire(createRequire(import.meta.url).resolve('dynalite'))('level') as typeof import('level');
  const probe = new Level(path);
  try {
    await probe.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new EmbeddedDynamoLockedError(path, join(path, 'LOCK'));
    throw error;
  }
  await probe.close();
}

/** The AWS answer to a request signed with an unknown access key id. */
const UNRECOGNIZED_CLIENT = JSON.stringify({
  __type: 'com.amazon.coral.service#UnrecognizedClientException',
  message: 'The security token included in the request is invalid.',
});

function refuseOtherClients(server: Server, accessKeyId: string): void {
  const expected = Buffer.from(`Credential=${accessKeyId}/`);
  const [serve] = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const given = /Credential=[^/,\s]*\//.exec(req.headers.authorization ?? '')?.[0] ?? '';
    if (given.length === expected.length && timingSafeEqual(Buffer.from(given), expected)) return serve?.(req, res);
    req.resume();
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(UNRECOGNIZED_CLIENT);
  });
}

async function listenHere(dynaliteOptions: Record<string, unknown>, onlyKey: string | undefined): Promise<Listening> {
  const require = createRequire(import.meta.url);
  const server = dynaliteWithExtensions(require, require.resolve('dynalite'), dynaliteOptions);
  if (onlyKey) refuseOtherClients(server, onlyKey);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Plain CommonJS so the worker needs no TypeScript loader; the credential check is refuseOtherClients above.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { timingSafeEqual } = require('node:crypto');
${DYNALITE_WITH_EXTENSIONS_SOURCE}
const server = startDynalite(workerData.dynalitePath, workerData.options);
if (workerData.onlyKey) {
  const expected = Buffer.from('Credential=' + workerData.onlyKey + '/');
  const [serve] = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    const given = (/Credential=[^/,\\s]*\\//.exec(req.headers.authorization || '') || [''])[0];
    if (given.length === expected.length && timingSafeEqual(Buffer.from(given), expected)) return serve(req, res);
    req.resume();
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(workerData.refusal);
  });
}
server.once('error', (error) => parentPort.postMessage({ error: String(error && error.message || error) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
`;

async function listenInWorker(dynaliteOptions: Record<string, unknown>, onlyKey: string | undefined): Promise<Listening> {
  const dynalitePath = createRequire(import.meta.url).resolve('dynalite');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { dynalitePath, options: dynaliteOptions, onlyKey, refusal: UNRECOGNIZED_CLIENT },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { port?: number; error?: string }) => {
      if (message.port) resolve(message.port);
      else reject(new Error(`embedded DynamoDB did not start: ${message.error ?? 'no port'}`));
    });
  });
  return {
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
