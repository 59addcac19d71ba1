import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../../functions/entries/local/runtime.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../functions/storage/dynamo/embedded.js';
import { getJson, postGeneric, waitFor } from '../../support/runtime-process.js';

const SECRET = 'endpoint-secret';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** FOGHORN_DYNAMODB_ENDPOINT: a DynamoDB the runtime does not run (a dynalite here, as DynamoDB Local would be). */
describe('the DynamoDB store at FOGHORN_DYNAMODB_ENDPOINT', () => {
  let dynamo: EmbeddedDynamo;
  let runtime: Runtime | undefined;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  const root = mkdtempSync(join(tmpdir(), 'foghorn-endpoint-'));
  writeFileSync(
    join(root, 'reply.yaml'),
    'id: endpoint-reply\nwhen:\n  all:\n    - { fact: kind, operator: equal, value: message }\nthen:\n  - reply:\n      text:\n        default: "Thanks"\n',
  );
  const options = (endpoint: string): RuntimeOptions => ({
    port: 0,
    dataDir: join(root, 'data'),
    rulesDir: root,
    settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET }),
    logger: quiet,
    forceSandbox: true,
    store: { engine: 'dynamodb', endpoint },
  });

  beforeAll(async () => {
    // The credentials come from the usual AWS environment; dynalite takes any.
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    dynamo = await startEmbeddedDynamo({ tableName: 'elsewhere' });
  });
  afterAll(async () => {
    await runtime?.stop();
    await dynamo?.stop();
    for (const [name, value] of [
      ['AWS_ACCESS_KEY_ID', saved.id],
      ['AWS_SECRET_ACCESS_KEY', saved.secret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('keeps the events and actions there, in the table foghorn it creates', async () => {
    // Act
    runtime = await startRuntime(options(dynamo.endpoint));
    const event = { id: 'at-endpoint', kind: 'message', text: 'hi', author: { id: '1' }, channel: { id: 'c' } };
    expect((await postGeneric(runtime.url, event, SECRET)).status).toBe(200);
    const running = runtime;
    await waitFor('the reply', async () => {
      const { actions } = await getJson<{ actions: Array<{ eventId: string; status: string }> }>(`${running.url}/api/actions`);
      return actions.find((action) => action.eventId === 'generic:at-endpoint' && action.status === 'succeeded');
    });

    // Assess: the item is in that DynamoDB, not under the data folder.
    const item = await dynamo.client.send(
      new GetItemCommand({ TableName: 'foghorn', Key: { pk: { S: 'EVENT#generic:at-endpoint' }, sk: { S: 'EVENT' } } }),
    );
    expect(item.Item?.pk?.S).toBe('EVENT#generic:at-endpoint');
    expect(runtime.storage()).toMatchObject({ engine: 'dynamodb' });
    expect(runtime.storeEndpoint).toBeUndefined();
  });

  it('stops the start, naming the endpoint, when nothing answers there', async () => {
    await expect(startRuntime({ ...options('http://127.0.0.1:9'), dataDir: join(root, 'other') })).rejects.toThrow(
      /the DynamoDB at FOGHORN_DYNAMODB_ENDPOINT=http:\/\/127\.0\.0\.1:9 could not be reached or could not create the table 'foghorn'/,
    );
  });
});
