import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { signGeneric } from '../../../functions/platforms/generic/verify.js';
import { waitFor } from '../../support/runtime-process.js';
import { rawRequest } from './raw-request.js';

const SECRET = 'api-conventions-secret';
const REPLY_RULE =
  'id: greet\nwhen:\n  all:\n    - { fact: kind, operator: equal, value: message }\nthen:\n  - reply:\n      text:\n        default: "hi"\n';
const ESCALATE_RULE =
  'id: noted\nwhen:\n  all:\n    - { fact: kind, operator: equal, value: comment }\nthen:\n  - reply:\n      text:\n        default: "noted"\n';
const LISTINGS = ['/api/events', '/api/actions', '/api/quarantine', '/api/audit', '/api/approvals'];

interface Listed {
  id: string;
  platform?: string;
  kind?: string;
  receivedAt?: string;
  ruleId?: string;
  status?: string;
}

describe('the HTTP API follows common conventions (over the real local runtime)', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-api-conventions-'));
    writeFileSync(join(root, 'greet.yaml'), REPLY_RULE);
    writeFileSync(join(root, 'noted.yaml'), ESCALATE_RULE);
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: root,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET }),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      forceSandbox: true,
    });
    // Prepare: 12 events, messages and comments, and one delivery that cannot be normalised (quarantined).
    for (let index = 0; index < 12; index += 1) {
      const body = JSON.stringify({
        id: `e${index}`,
        kind: index % 3 === 0 ? 'comment' : 'message',
        text: `hello ${index}`,
        author: { id: `a${index}` },
        channel: { id: 'web' },
      });
      const answer = await send('POST', '/webhooks/generic', body, { 'x-foghorn-signature': signGeneric(SECRET, body) });
      expect(answer.status, answer.text).toBe(200);
    }
    const bad = JSON.stringify({ id: 'bad', kind: 'bogus', text: 'x', author: { id: 'a' }, channel: { id: 'web' } });
    expect((await send('POST', '/webhooks/generic', bad, { 'x-foghorn-signature': signGeneric(SECRET, bad) })).status).toBe(422);
    await waitFor('every action recorded', async () => {
      const { actions } = (await send('GET', '/api/actions?limit=100')).json() as { actions: Listed[] };
      return actions.length === 12 && actions.every((action) => action.status === 'succeeded') ? true : undefined;
    });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
  });

  function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
    return rawRequest(runtime.url, method, path, {
      headers: { host: `127.0.0.1:${runtime.port}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body === undefined ? {} : { body }),
    });
  }

  async function everyPage(path: string, field: string): Promise<{ items: Listed[]; pages: number }> {
    const items: Listed[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const answer = await send('GET', `${path}${cursor ? `${separator}cursor=${cursor}` : ''}`);
      expect(answer.status, answer.text).toBe(200);
      const body = answer.json() as Record<string, unknown>;
      items.push(...(body[field] as Listed[]));
      cursor = body.next as string | null;
      pages += 1;
    } while (cursor && pages < 50);
    return { items, pages };
  }

  it('pages /api/events newest first with next and ?cursor=, without duplicates or gaps', async () => {
    const all = (await send('GET', '/api/events')).json() as { events: Listed[]; next: string | null };
    expect(all.events).toHaveLength(12);
    expect(all.next).toBeNull();
    const paged = await everyPage('/api/events?limit=5', 'events');
    expect(paged.pages).toBe(3);
    expect(paged.items.map((event) => event.id)).toEqual(all.events.map((event) => event.id));
  });

  it('filters events by platform, kind and time, and keeps paging right after the filter', async () => {
    const comments = await everyPage('/api/events?kind=comment&limit=1', 'events');
    expect(comments.items.map((event) => event.id).sort()).toEqual(['generic:e0', 'generic:e3', 'generic:e6', 'generic:e9']);
    expect((await everyPage('/api/events?platform=telegram', 'events')).items).toEqual([]);
    const all = ((await send('GET', '/api/events')).json() as { events: Listed[] }).events;
    const middle = all[5]?.receivedAt as string;
    const since = await everyPage(`/api/events?since=${encodeURIComponent(middle)}&limit=2`, 'events');
    expect(since.items.every((event) => (event.receivedAt as string) >= middle)).toBe(true);
    const until = await everyPage(`/api/events?until=${encodeURIComponent(middle)}&limit=2`, 'events');
    expect(until.items.every((event) => (event.receivedAt as string) < middle)).toBe(true);
    expect(since.items.length + until.items.length).toBe(12);
    expect((await everyPage('/api/events?since=1h&status=published', 'events')).items).toHaveLength(12);
  });

  it('filters actions by rule, status and platform, paged', async () => {
    const noted = await everyPage('/api/actions?rule=noted&limit=3', 'actions');
    expect(noted.items).toHaveLength(4);
    expect(noted.items.every((action) => action.ruleId === 'noted')).toBe(true);
    expect((await everyPage('/api/actions?status=failed', 'actions')).items).toEqual([]);
    expect((await everyPage('/api/actions?platform=generic&status=succeeded&limit=7', 'actions')).items).toHaveLength(12);
  });

  it('refuses a bad filter or cursor with 400 naming the parameter and what is allowed', async () => {
    const cases: Array<[string, string]> = [
      ['/api/events?kind=comments', 'kind'],
      ['/api/events?since=yesterday', 'since'],
      ['/api/events?until=2020-13-45', 'until'],
      ['/api/events?since=1h&until=2h', 'until'],
      ['/api/events?rule=greet', 'rule'],
      ['/api/actions?status=done', 'status'],
      ['/api/actions?kind=message', 'kind'],
      ['/api/events?cursor=bm9wZQ', 'cursor'],
    ];
    for (const [path, parameter] of cases) {
      const answer = await send('GET', path);
      expect(answer.status, path).toBe(400);
      const body = answer.json() as { error: string; detail: { parameter: string } };
      expect(body.error, path).toContain(parameter);
      expect(body.detail.parameter, path).toBe(parameter);
    }
    // A cursor of one listing or with other filters is refused, not silently misread.
    const { next } = (await send('GET', '/api/events?limit=2')).json() as { next: string };
    expect((await send('GET', `/api/actions?cursor=${next}`)).status).toBe(400);
    expect((await send('GET', `/api/events?kind=message&cursor=${next}`)).status).toBe(400);
  });

  it('validates limit the same way on every listing', async () => {
    for (const path of LISTINGS) {
      for (const bad of ['abc', '0', '-5', '2.5']) {
        const answer = await send('GET', `${path}?limit=${bad}`);
        expect(answer.status, `${path}?limit=${bad}`).toBe(400);
        expect(answer.json()).toMatchObject({
          error: `limit must be a whole number from 1 to 10,000, got '${bad}'`,
          detail: { parameter: 'limit' },
        });
      }
      expect((await send('GET', `${path}?limit=1`)).status, path).toBe(200);
      expect((await send('GET', `${path}?limit=99999`)).status, path).toBe(200);
    }
    expect(((await send('GET', '/api/events?limit=1')).json() as { events: unknown[] }).events).toHaveLength(1);
  });

  it('answers 405 with an Allow header listing the methods of the path', async () => {
    const health = await send('DELETE', '/health');
    expect(health.status).toBe(405);
    expect(health.headers.allow).toBe('GET');
    const crisis = await send('POST', '/api/crisis', '{}');
    expect(crisis.status).toBe(405);
    expect(crisis.headers.allow).toBe('GET');
    const webhooks = await send('PUT', '/webhooks/generic');
    expect(webhooks.headers.allow).toBe('POST, GET');
  });

  it('says the body limit in KB', async () => {
    const answer = await send('POST', '/webhooks/generic', 'a'.repeat(300 * 1024));
    expect(answer.status).toBe(413);
    expect(answer.json()).toMatchObject({ error: 'body is larger than 256 KB' });
  });

  it('keeps the table keys out of /api/quarantine and every listing', async () => {
    const { quarantine } = (await send('GET', '/api/quarantine')).json() as { quarantine: Array<Record<string, unknown>> };
    expect(quarantine).toHaveLength(1);
    expect(Object.keys(quarantine[0] ?? {}).sort()).toEqual(['detail', 'id', 'platform', 'rawRef', 'reason', 'receivedAt']);
    for (const path of [...LISTINGS, '/api/dead-letters', '/health']) {
      expect((await send('GET', path)).text, path).not.toMatch(/"(pk|sk|gsi1pk|gsi1sk|ttl)":/);
    }
  });
});
