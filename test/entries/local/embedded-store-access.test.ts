import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { EmbeddedDynamoLockedError, startEmbeddedDynamo } from '../../../functions/storage/dynamo/embedded.js';

describe("the runtime's embedded DynamoDB (FOGHORN_STORE=dynamodb) refuses other local processes", () => {
  let runtime: Runtime;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-store-'));
    writeFileSync(
      join(root, 'none.yaml'),
      'id: never\nwhen:\n  all:\n    - { fact: kind, operator: equal, value: review }\nthen:\n  - tag: [seen]\n',
    );
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: root,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: 'x' }),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      store: { engine: 'dynamodb' },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const endpoint = (): string => {
    if (!runtime.storeEndpoint) throw new Error('the runtime on the dynamodb store has no storeEndpoint');
    return runtime.storeEndpoint;
  };

  it('listens on loopback only', () => {
    expect(new URL(endpoint()).hostname).toBe('127.0.0.1');
  });

  it('answers a Scan or a Put without the per-start credential with UnrecognizedClientException', async () => {
    // Prepare: any credentials but the runtime's, as another process on the machine would send them.
    const stranger = new DynamoDBClient({
      endpoint: endpoint(),
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      // Act + Assess
      await expect(stranger.send(new ScanCommand({ TableName: 'foghorn' }))).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
        $metadata: { httpStatusCode: 400 },
      });
      await expect(
        stranger.send(new PutItemCommand({ TableName: 'foghorn', Item: { pk: { S: 'CRISIS' }, sk: { S: 'STATE' }, on: { BOOL: true } } })),
      ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    } finally {
      stranger.destroy();
    }
  });

  it('refuses a browser too: no CORS answer, no health page', async () => {
    const preflight = await fetch(endpoint(), {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(endpoint())).status).toBe(400);
  });

  it('still serves the runtime itself', async () => {
    expect((await fetch(`${runtime.url}/api/events`)).status).toBe(200);
  });
});

describe('startEmbeddedDynamo: the private credential and the folder lock, on a worker thread or not', () => {
  it.each([false, true])('serves its own client only, and refuses a second store on its folder (worker thread: %s)', async (inWorker) => {
    // Prepare
    const path = join(mkdtempSync(join(tmpdir(), 'foghorn-embedded-private-')), 'db');
    const store = await startEmbeddedDynamo({ path, inWorker, privateCredential: true });
    const stranger = new DynamoDBClient({
      endpoint: store.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      // Act + Assess
      await expect(store.client.send(new ScanCommand({ TableName: store.tableName }))).resolves.toMatchObject({ Count: 0 });
      await expect(stranger.send(new ScanCommand({ TableName: store.tableName }))).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
      });
      const second = startEmbeddedDynamo({ path, inWorker });
      await expect(second).rejects.toBeInstanceOf(EmbeddedDynamoLockedError);
      await expect(second).rejects.toThrow(
        `the embedded DynamoDB folder ${path} is in use by another process (it holds ${join(path, 'LOCK')})`,
      );
    } finally {
      stranger.destroy();
      await store.stop();
    }
  });
});
