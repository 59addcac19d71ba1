import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, type RuntimeOptions, startRuntime } from '../../functions/entries/local/runtime.js';
import { STORE_FOLDERS } from '../../functions/entries/local/runtime-settings.js';
import { startEmbeddedDynamo } from '../../functions/storage/dynamo/embedded.js';
import { MIGRATION_FOLDERS } from '../../functions/storage/migrate/dynalite-to-embedded.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../support/api-token.js';
import { getJson, postGeneric, waitFor, waitForQueuesToDrain } from '../support/runtime-process.js';

const SECRET = 'migrate-secret';
const RULES = `
- id: tag-it
  when: { all: [{ fact: text, operator: containsAny, value: ["tagme"] }] }
  then: [{ tag: [seen, vip] }]
- id: auto-reply
  when: { all: [{ fact: text, operator: containsAny, value: ["reply"] }] }
  then: [{ reply: { text: "Thanks, we are on it." } }]
- id: unanswered
  when: { all: [{ fact: text, operator: containsAny, value: ["help"] }] }
  after: 10m
  then: [{ tag: [unanswered] }]
`;

/** Every file under `folder` with a hash of its bytes: equal snapshots mean nothing was touched. */
function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[path.slice(folder.length)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(folder);
  return files;
}

/** A reply endpoint that refuses every reply for good (400): the reply goes to the dead-letter queue. */
async function refusingServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"no"}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/reply`, server };
}

async function migrate(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['data', 'migrate', ...args], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    cwd: process.cwd(),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function switchCrisis(url: string, verb: string, why: string): Promise<Response> {
  return fetch(`${url}/api/crisis/${verb}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...TEST_API_AUTHORIZATION },
    body: JSON.stringify({ who: 'maya', why }),
  });
}

/** What a team sees through the API: the answers the migration must keep. */
async function seen(url: string) {
  const get = <T>(path: string) => getJson<T>(`${url}${path}`);
  return {
    events: (await get<{ events: unknown[] }>('/api/events?limit=1000')).events,
    actions: (await get<{ actions: unknown[] }>('/api/actions?limit=1000')).actions,
    approvals: (await get<{ approvals: unknown[] }>('/api/approvals')).approvals,
    crisis: (await get<{ crisis: unknown }>('/api/crisis')).crisis,
    audit: (await get<{ audit: unknown[] }>('/api/audit?limit=1000')).audit,
    deadLetters: (await get<{ deadLetters: unknown }>('/api/dead-letters')).deadLetters,
    quarantine: (await get<{ quarantine: unknown[] }>('/api/quarantine')).quarantine,
  };
}

describe('foghorn data migrate', () => {
  const root = mkdtempSync(join(tmpdir(), 'foghorn-migrate-test-'));
  writeFileSync(join(root, 'rules.yaml'), RULES);
  const dataDir = join(root, 'data');
  const dynaliteFolder = join(dataDir, 'dynamodb');
  const running: Runtime[] = [];
  let refusing: Server | undefined;
  afterAll(async () => {
    for (const runtime of running) await runtime.stop().catch(() => {});
    await new Promise<void>((resolve) => (refusing ? refusing.close(() => resolve()) : resolve()));
  });

  const options = (replyUrl: string): RuntimeOptions => ({
    port: 0,
    dataDir,
    rulesDir: root,
    settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET, FOGHORN_GENERIC_REPLY_URL: replyUrl, FOGHORN_API_TOKEN: TEST_API_TOKEN }),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    crisisSweepEveryMs: 3_600_000,
  });
  const event = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
    id,
    kind: 'message',
    text,
    author: { id: `a-${id}`, name: 'Ada' },
    channel: { id: 'support' },
    ...extra,
  });

  it('uses the runtime’s folder names', () => {
    expect(MIGRATION_FOLDERS).toEqual(STORE_FOLDERS);
  });

  it('copies a dynalite data folder into a fresh embedded store, which serves the same history; the dynalite folder is untouched', async () => {
    // Prepare: an earlier Foghorn on dynalite, with events, tags, a dead letter, crisis on, a held approval, a timer, a quarantine.
    const refused = await refusingServer();
    refusing = refused.server;
    const earlier = await startRuntime({ ...options(refused.url), store: { engine: 'dynamodb' } });
    running.push(earlier);
    const post = async (body: Record<string, unknown>, status = 200) =>
      expect((await postGeneric(earlier.url, body, SECRET)).status).toBe(status);
    await post(event('tagged', 'tagme please'));
    await post(event('refused', 'please reply'));
    await post(event('waiting', 'help me', { thread: { id: 't-1' } }));
    await waitFor('the dead letter', async () => {
      const { deadLetters } = await getJson<{ deadLetters: { actions?: unknown[] } }>(`${earlier.url}/api/dead-letters`);
      return (deadLetters.actions?.length ?? 0) > 0 ? true : undefined;
    });
    // On, off and on again: the switch is at version 3, and each switch's audit id carries its version.
    for (const verb of ['on', 'off', 'on'])
      expect((await switchCrisis(earlier.url, verb, verb === 'off' ? 'fixed' : 'login outage')).status).toBe(200);
    await post(event('held', 'reply to me too'));
    await post({ ...event('odd', 'hello'), kind: 'telepathy' }, 422);
    await waitFor('the held approval', async () => {
      const { approvals } = await getJson<{ approvals: unknown[] }>(`${earlier.url}/api/approvals`);
      return approvals.length === 1 ? true : undefined;
    });
    await waitForQueuesToDrain(earlier.url);
    const before = await seen(earlier.url);
    const whileRunning = await migrate(['--data', dataDir]);
    await earlier.stop();
    running.pop();
    const bytes = snapshot(dynaliteFolder);

    // Act
    const migrated = await migrate(['--data', dataDir, '--json']);
    const embedded = await startRuntime(options(refused.url));
    running.push(embedded);
    const after = await seen(embedded.url);
    const whileEmbeddedRuns = await migrate(['--data', dataDir]);
    expect((await switchCrisis(embedded.url, 'off', 'over')).status).toBe(200);
    const { audit } = await getJson<{ audit: Array<{ id: string; what: string }> }>(`${embedded.url}/api/audit?limit=1`);
    await embedded.stop();
    running.pop();
    const again = await migrate(['--data', dataDir]);

    // Assess
    expect(whileRunning.code).toBe(1);
    expect(whileRunning.err).toContain('in use by a running Foghorn');
    expect(migrated.err).toBe('');
    expect(migrated.code).toBe(0);
    const report = JSON.parse(migrated.out);
    expect(report).toMatchObject({
      migrated: true,
      source: dynaliteFolder,
      target: join(dataDir, 'embedded'),
      unrecognised: {},
      copied: expect.objectContaining({
        events: 4,
        'events with tags added': 1,
        'quarantined deliveries': 1,
        decisions: 4,
        'approvals (pending)': 1,
        'crisis switch': 1,
        'SLA timers (pending)': 1,
        'queue actions-dlq: dead letters': 1,
      }),
    });
    expect(report.copied['audit entries']).toBeGreaterThanOrEqual(5);
    expect(before.events.length).toBe(4);
    expect(before.deadLetters).toMatchObject({ actions: [expect.anything()] });
    expect(before.crisis).toMatchObject({ on: true, by: 'maya' });
    expect(after).toEqual(before);
    expect(audit).toEqual([expect.objectContaining({ id: 'crisis:4', what: 'crisis.off' })]);
    expect(whileEmbeddedRuns.code).toBe(1);
    expect(whileEmbeddedRuns.err).toContain('in use by a running Foghorn');
    expect(again.code).toBe(1);
    expect(again.err).toContain('already holds data');
    expect(again.err).toContain(`mv ${join(dataDir, 'embedded')}`);
    expect(snapshot(dynaliteFolder)).toEqual(bytes);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('.embedded-migrating-'))).toEqual([]);
  }, 120_000);

  it('refuses a data folder without dynalite data, and changes nothing', async () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'foghorn-migrate-empty-')), 'data');
    const result = await migrate(['--data', empty, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({ migrated: false, refused: true });
    expect(result.err).toContain('no dynalite data');
    expect(existsSync(join(empty, 'embedded'))).toBe(false);
  });

  it('fails with exit 1 on a dynalite folder it cannot read, and leaves the data folder as it was', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'foghorn-migrate-broken-')), 'data');
    mkdirSync(join(broken, 'dynamodb'), { recursive: true });
    // LevelDB's pointer to a manifest that is not there: the database cannot open.
    writeFileSync(join(broken, 'dynamodb', 'CURRENT'), 'MANIFEST-000042\n');
    const before = { data: readdirSync(broken).sort(), dynalite: snapshot(join(broken, 'dynamodb')) };
    const result = await migrate(['--data', broken]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('the data folder is as it was');
    expect({ data: readdirSync(broken).sort(), dynalite: snapshot(join(broken, 'dynamodb')) }).toEqual(before);
  }, 30_000);

  it('counts items of no known layout by key prefix, and copies the rest', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'foghorn-migrate-unknown-')), 'data');
    const dynamo = await startEmbeddedDynamo({ path: join(folder, 'dynamodb') });
    for (const item of [
      { pk: 'MYSTERY#1', sk: 'X' },
      { pk: 'MYSTERY#2', sk: 'X' },
      { pk: 'CURSOR#generic', sk: 'CURSOR', cursor: 'c-42', updatedAt: '2026-11-22T10:00:00.000Z' },
    ])
      await dynamo.client.send(new PutItemCommand({ TableName: dynamo.tableName, Item: marshall(item) }));
    await dynamo.stop();
    const result = await migrate(['--data', folder, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ scanned: 3, copied: { 'poll cursors': 1 }, unrecognised: { MYSTERY: 2 } });
  }, 30_000);

  it('says what it does in --help', async () => {
    const { main } = await import('../../cli/main.js');
    const out: string[] = [];
    const code = await main(['data', 'migrate', '--help'], { out: (line) => out.push(line), err: () => {}, env: {}, cwd: process.cwd() });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('--data <dir>');
  });
});
