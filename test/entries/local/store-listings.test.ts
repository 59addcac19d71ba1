import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { getJson, postGeneric, waitFor } from '../../support/runtime-process.js';

const SECRET = 'listings-secret';
const TOKEN = 'listings-api-token-0123456789abcdef';
const RULE = `
id: listings-reply
when:
  all:
    - { fact: text, operator: containsAny, value: ["reply"] }
then:
  - reply:
      text:
        default: "Thanks"
`;

/** A reply endpoint that refuses every reply for good (400), so the action goes to the dead-letter queue. */
async function refusingReplyUrl(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"no"}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/reply`, server };
}

interface DeadLetters {
  deadLetters: Record<string, Array<{ id: string; body: { eventId: string; deadLetterReason?: string } }>>;
}

/** The listing routes the local runtime answers from the store itself, the same on both stores. */
describe.each(['embedded', 'dynamodb'] as const)('listings, dead letters and redrive on the %s store', (engine) => {
  let runtime: Runtime;
  let replies: Server;
  beforeAll(async () => {
    const refusing = await refusingReplyUrl();
    replies = refusing.server;
    const root = mkdtempSync(join(tmpdir(), 'foghorn-listings-'));
    writeFileSync(join(root, 'reply.yaml'), RULE);
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: root,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET, FOGHORN_GENERIC_REPLY_URL: refusing.url, FOGHORN_API_TOKEN: TOKEN }),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      store: { engine },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    await new Promise<void>((resolve) => replies?.close(() => resolve()));
  });

  const event = (id: string, text: string) => ({ id, kind: 'message', text, author: { id: 'a' }, channel: { id: 'c' } });

  it('pages the events newest first with a cursor, and refuses a cursor it did not give', async () => {
    for (const id of ['page-1', 'page-2', 'page-3']) expect((await postGeneric(runtime.url, event(id, 'hello'), SECRET)).status).toBe(200);
    const first = await getJson<{ events: Array<{ id: string }>; next: string | null }>(`${runtime.url}/api/events?limit=2`);
    expect(first.events.map((e) => e.id)).toEqual(['generic:page-3', 'generic:page-2']);
    expect(first.next).toEqual(expect.any(String));
    const second = await getJson<{ events: Array<{ id: string }>; next: string | null }>(
      `${runtime.url}/api/events?limit=2&cursor=${encodeURIComponent(first.next ?? '')}`,
    );
    expect(second.events.map((e) => e.id)).toEqual(['generic:page-1']);
    expect(second.next).toBeNull();
    const bad = await fetch(`${runtime.url}/api/events?cursor=bm90LWEtY3Vyc29y`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ detail: { parameter: 'cursor' } });
  });

  it('lists a signed delivery that could not be read in the quarantine', async () => {
    expect((await postGeneric(runtime.url, { ...event('odd', 'hello'), kind: 'telepathy' }, SECRET)).status).toBe(422);
    const { quarantine } = await getJson<{ quarantine: Array<{ platform: string; reason: string; rawRef: string }> }>(
      `${runtime.url}/api/quarantine`,
    );
    expect(quarantine).toEqual([expect.objectContaining({ platform: 'generic', rawRef: expect.any(String) })]);
  });

  it('keeps a reply refused for good in the dead letters, and sends it back on a redrive', async () => {
    expect((await postGeneric(runtime.url, event('refused', 'please reply'), SECRET)).status).toBe(200);
    const dead = await waitFor('the dead letter', async () => {
      const { deadLetters } = await getJson<DeadLetters>(`${runtime.url}/api/dead-letters`);
      return deadLetters.actions?.find((letter) => letter.body.eventId === 'generic:refused');
    });
    expect(dead.body.deadLetterReason).toEqual(expect.any(String));

    const redrive = await fetch(`${runtime.url}/api/dead-letters/actions/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    });
    expect(redrive.status).toBe(200);
    expect(await redrive.json()).toEqual({ redriven: [dead.id] });
    // A redrive is a person's decision: audited with who made it (the API token here) and what it sent back.
    const { audit } = await getJson<{ audit: Array<Record<string, unknown>> }>(`${runtime.url}/api/audit`);
    expect(audit.filter((entry) => entry.what === 'dead-letters.redriven')).toEqual([
      expect.objectContaining({ kind: 'action', who: 'token', detail: { queue: 'actions', redriven: 1 } }),
    ]);
  });
});
