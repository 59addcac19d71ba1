import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
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
}

interface Listening {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts dynalite (a DynamoDB that speaks the real API) on a loopback port, persisted under `path`
 * or in memory when no path is given, and creates Foghorn's table in it.
 */
export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const dynaliteOptions = { ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
  const listening = options.inWorker ? await listenInWorker(dynaliteOptions) : await listenHere(dynaliteOptions);
  const endpoint = `http://127.0.0.1:${listening.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
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

async function listenHere(dynaliteOptions: Record<string, unknown>): Promise<Listening> {
  const server = dynalite(dynaliteOptions);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Plain CommonJS so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const server = require(workerData.dynalitePath)(workerData.options);
server.once('error', (error) => parentPort.postMessage({ error: String(error && error.message || error) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
`;

async function listenInWorker(dynaliteOptions: Record<string, unknown>): Promise<Listening> {
  const dynalitePath = createRequire(import.meta.url).resolve('dynalite');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dynalitePath, options: dynaliteOptions } });
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
