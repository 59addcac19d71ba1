import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, CONSOLE_CSP } from '../../console/build.js';
import type { ListingQuery } from '../../functions/core/api-query.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import type { ActionRecord } from '../../functions/core/ports.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { eventStream } from '../../functions/entries/local/console-stream.js';
import type { LocalRequest, LocalStreamSink } from '../../functions/entries/local/http-server.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { rawRequest } from '../entries/local/raw-request.js';
import { postGeneric, TEST_GENERIC_SECRET, waitFor } from '../support/runtime-process.js';

const PAGES = [
  '/feed',
  '/conversation',
  '/conversation/generic%3Ae1',
  '/approvals',
  '/crisis',
  '/rules',
  '/analytics',
  '/audit',
  '/dead-letters',
  '/posts',
  '/login',
];

describe('the console build', () => {
  it('is one script, one stylesheet and index.html, under 150 KB gzipped, with no inline script or style', async () => {
    // Act
    const files = await buildConsole();
    // Assess
    const names = [...files.keys()];
    expect(names).toHaveLength(3);
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^assets\/console-\w+\.css$/),
        expect.stringMatching(/^assets\/console-\w+\.js$/),
        'index.html',
      ]),
    );
    const gzipped = [...files.values()].reduce((sum, file) => sum + gzipSync(file.body, { level: 9 }).length, 0);
    expect(gzipped).toBeLessThan(150 * 1024);
    const html = files.get('index.html')?.body.toString('utf8') ?? '';
    expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/^<script type="module" src="\/assets\/console-\w+\.js">$/)]);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son\w+=/);
    expect(html).not.toMatch(/https?:\/\//);
  });
});

function session(events: CanonicalEvent[], actions: ActionRecord[], decided: Set<string>, since?: string) {
  const written: string[] = [];
  const closers: Array<() => void> = [];
  let reads = 0;
  const listing =
    <T extends { receivedAt?: string; createdAt: string }>(items: T[], key: (item: T) => string) =>
    async (query: ListingQuery) => {
      reads++;
      return {
        items: items.filter((item) => query.since === undefined || key(item) >= query.since).sort((a, b) => key(b).localeCompare(key(a))),
      };
    };
  const route = eventStream(
    {
      events: listing(events, (event) => event.receivedAt),
      actions: listing(actions, (action) => action.createdAt),
      decision: async (eventId) => (decided.has(eventId) ? { rules: ['faq'], decidedAt: '2026-01-01T10:00:00.000Z' } : undefined),
      now: () => new Date('2026-01-01T10:00:10.000Z'),
      onError: (error) => {
        throw error;
      },
    },
    { pollMs: 5, heartbeatMs: 20 },
  );
  const request = {
    method: 'GET',
    path: '/api/stream',
    params: {},
    query: new URLSearchParams(),
    headers: since ? { 'last-event-id': since } : {},
    body: Buffer.alloc(0),
  } as LocalRequest;
  const answer = route(request);
  const sink: LocalStreamSink = {
    write: (chunk) => written.push(chunk),
    end: () => {
      for (const close of closers.splice(0)) close();
    },
    onClose: (listener) => closers.push(listener),
  };
  answer.stream?.(sink);
  return { answer, text: () => written.join(''), close: () => sink.end(), reads: () => reads };
}

const event = (id: string, receivedAt: string) =>
  ({
    id,
    platform: 'generic',
    kind: 'message',
    text: id,
    author: { id: 'a' },
    channel: { id: 'c' },
    thread: {},
    createdAt: receivedAt,
    receivedAt,
  }) as CanonicalEvent;
const action = (id: string, status: ActionRecord['status'], updatedAt: string): ActionRecord => ({
  id,
  eventId: 'generic:e2',
  ruleId: 'faq',
  type: 'reply',
  status,
  attempts: 1,
  createdAt: '2026-01-01T10:00:05.000Z',
  updatedAt,
});

describe('GET /api/stream (Server-Sent Events)', () => {
  it('sends each event once in order with the cursor as its id, each action as its status changes, the rules once decided, and heartbeats', async () => {
    // Prepare
    const events = [event('generic:e2', '2026-01-01T10:00:08.000Z'), event('generic:e1', '2026-01-01T10:00:07.000Z')];
    const actions = [action('act_1', 'in-progress', '2026-01-01T10:00:08.100Z')];
    const decided = new Set<string>();
    const stream = session(events, actions, decided);
    expect(stream.answer).toMatchObject({
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
    });
    // Act: the action completes, then the events are decided
    await waitFor('the first events', async () => (stream.text().includes('generic:e2') ? true : undefined));
    actions[0] = action('act_1', 'succeeded', '2026-01-01T10:00:08.200Z');
    decided.add('generic:e1');
    await waitFor('the rest', async () =>
      /event: decision/.test(stream.text()) && /succeeded/.test(stream.text()) && /: heartbeat/.test(stream.text()) ? true : undefined,
    );
    stream.close();
    // Assess
    const messages = stream
      .text()
      .split('\n\n')
      .filter((block) => block.includes('event: '))
      .map((block) => {
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Record<string, unknown>;
        return { id, type, subject: data.eventId && type === 'decision' ? data.eventId : (data.id as string), status: data.status };
      });
    expect(messages.filter((m) => m.type === 'event')).toEqual([
      { id: '2026-01-01T10:00:07.000Z', type: 'event', subject: 'generic:e1', status: undefined },
      { id: '2026-01-01T10:00:08.000Z', type: 'event', subject: 'generic:e2', status: undefined },
    ]);
    expect(messages.filter((m) => m.type === 'action').map((m) => m.status)).toEqual(['in-progress', 'succeeded']);
    expect(messages.filter((m) => m.type === 'decision')).toEqual([
      { id: '2026-01-01T10:00:08.000Z', type: 'decision', subject: 'generic:e1', status: undefined },
    ]);
    expect(stream.text().startsWith('retry: 2000\n')).toBe(true);
  });

  it('resumes after the Last-Event-ID, and stops reading once the stream is closed', async () => {
    // Prepare
    const events = [event('generic:new', '2026-01-01T10:00:08.000Z'), event('generic:old', '2026-01-01T09:00:00.000Z')];
    // Act
    const stream = session(events, [], new Set(), '2026-01-01T10:00:00.000Z');
    await waitFor('the new event', async () => (stream.text().includes('generic:new') ? true : undefined));
    stream.close();
    const reads = stream.reads();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Assess
    expect(stream.text()).not.toContain('generic:old');
    expect(stream.reads()).toBe(reads);
  });

  it('refuses a cursor that is not a time, naming it', () => {
    const route = eventStream({
      events: async () => ({ items: [] }),
      actions: async () => ({ items: [] }),
      decision: async () => undefined,
      now: () => new Date(),
      onError: () => {},
    });
    const answer = route({
      method: 'GET',
      path: '/api/stream',
      params: {},
      query: new URLSearchParams('since=yesterday'),
      headers: {},
      body: Buffer.alloc(0),
    });
    expect(answer).toMatchObject({ status: 400, body: { detail: { parameter: 'since' } } });
  });
});

describe('the console on the local runtime', () => {
  let runtime: Runtime;
  let stopped = false;
  const host = () => ({ host: `127.0.0.1:${runtime.port}` });

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-console-serving-'));
    const rulesDir = join(root, 'rules');
    mkdirSync(rulesDir);
    writeFileSync(join(root, 'foghorn.config.yaml'), 'timezone: UTC\n');
    writeFileSync(
      join(rulesDir, 'tag.yaml'),
      'id: tag-all\nwhen: { all: [{ fact: kind, operator: equal, value: message }] }\nthen: [{ tag: [seen] }]\n',
    );
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET, FOGHORN_CONFIG: join(root, 'foghorn.config.yaml') }),
      forceSandbox: true,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
  }, 60_000);
  afterAll(async () => {
    if (!stopped) await runtime?.stop();
  });

  it('answers every page path with index.html under a strict Content-Security-Policy, never cached', async () => {
    for (const path of PAGES) {
      const answer = await rawRequest(runtime.url, 'GET', path, { headers: host() });
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.text).toContain('<div id="app">');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
  });

  it('sends / to the Feed, says 404 for an unknown page or API route, and serves the assets with their type, cached for good, gzipped when asked', async () => {
    const root = await rawRequest(runtime.url, 'GET', '/', { headers: host() });
    expect(root).toMatchObject({ status: 302, headers: { location: '/feed' } });
    const unknownPage = await rawRequest(runtime.url, 'GET', '/nowhere', { headers: host() });
    expect(unknownPage.status).toBe(404);
    expect(unknownPage.headers['content-type']).toBe('text/html; charset=utf-8');
    const unknownApi = await rawRequest(runtime.url, 'GET', '/api/nowhere', { headers: host() });
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.json()).toMatchObject({ error: 'no route for /api/nowhere' });
    const index = (await rawRequest(runtime.url, 'GET', '/feed', { headers: host() })).text;
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1] ?? '';
    const styles = /href="(\/assets\/[^"]+\.css)"/.exec(index)?.[1] ?? '';
    const js = await rawRequest(runtime.url, 'GET', script, { headers: host() });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await rawRequest(runtime.url, 'GET', styles, { headers: host() });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const gzipped = await new Promise<Buffer>((resolve, reject) => {
      request(`${runtime.url}${script}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        expect(res.headers['content-encoding']).toBe('gzip');
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      })
        .on('error', reject)
        .end();
    });
    expect(gunzipSync(gzipped).toString('utf8')).toBe(js.text);
    expect((await rawRequest(runtime.url, 'GET', '/assets/console-nothing.js', { headers: host() })).status).toBe(404);
  });

  it('streams a new event to an open /api/stream, and a runtime stop ends the stream instead of waiting on it', async () => {
    // Prepare
    const controller = new AbortController();
    const response = await fetch(`${runtime.url}/api/stream`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) return 'done';
        text += new TextDecoder().decode(value);
      }
      return 'found';
    };
    // Act
    await postGeneric(runtime.url, { id: 'streamed-1', kind: 'message', text: 'hello', author: { id: 'a' }, channel: { id: 'c' } });
    // Assess
    expect(await readUntil(/event: event\ndata: \{"id":"generic:streamed-1"/)).toBe('found');
    expect(await readUntil(/event: decision\ndata: \{"eventId":"generic:streamed-1","rules":\["tag-all"\]/)).toBe('found');
    stopped = true;
    await runtime.stop();
    expect(await readUntil(/$^/)).toBe('done');
    controller.abort();
  });
});
