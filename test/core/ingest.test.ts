import { describe, expect, it } from 'vitest';
import { type CanonicalEvent, isRepublished } from '../../functions/core/event.js';
import type { InboundRequest } from '../../functions/core/http.js';
import { handleWebhook, type IngestDependencies } from '../../functions/core/ingest.js';
import { jsonNestingDepth, MAX_PAYLOAD_DEPTH, pathDeeperThan } from '../../functions/core/payload-depth.js';
import type { EventPublisher, EventStore, RawPayload } from '../../functions/core/ports.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { signGeneric } from '../../functions/platforms/generic/verify.js';
import { connectorFor, connectors } from '../../functions/platforms/index.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { makeEvent } from '../support/events.js';

const SECRET = 'test-secret';

class RecordingPublisher implements EventPublisher {
  readonly published: CanonicalEvent[] = [];
  failNext = false;
  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('bus unavailable');
    }
    this.published.push(...events);
  }
}

function signedRequest(body: string | Buffer, overrides: Partial<InboundRequest> = {}): InboundRequest {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return {
    method: 'POST',
    platform: 'generic',
    query: {},
    rawBody: raw,
    receivedAt: new Date('2026-11-22T10:00:05.000Z'),
    headers: { 'x-foghorn-signature': signGeneric(SECRET, raw) },
    ...overrides,
  };
}

describe('handleWebhook', () => {
  const dynamo = useEmbeddedDynamo();
  const setup = (settings: Record<string, string> = { FOGHORN_GENERIC_SECRET: SECRET }) => {
    const publisher = new RecordingPublisher();
    const store = new DynamoEventStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
    const deps: IngestDependencies = {
      connectorFor,
      knownPlatforms: () => Object.keys(connectors),
      settings: settingsFrom(settings),
      store,
      publisher,
      clock: { now: () => new Date('2026-11-22T10:00:05.000Z') },
      maxBodyBytes: 1024,
    };
    return { deps, publisher, store };
  };

  it('stores a signed event once with its raw payload, and publishes a redelivery again, marked for evaluation to read its decision', async () => {
    const { deps, publisher, store } = setup();
    const body = JSON.stringify(makeEvent({ id: 'once-1' }));
    const first = await handleWebhook(signedRequest(body), deps);
    const second = await handleWebhook(signedRequest(body), deps);
    expect(first).toEqual({ status: 200, body: { ok: true, events: ['generic:once-1'], duplicates: 0 } });
    expect(second).toEqual({ status: 200, body: { ok: true, events: ['generic:once-1'], duplicates: 1 } });
    expect(publisher.published.map((event) => [event.id, isRepublished(event)])).toEqual([
      ['generic:once-1', false],
      ['generic:once-1', true],
    ]);
    const stored = await store.get('generic:once-1');
    expect(stored?.event.receivedAt).toBe('2026-11-22T10:00:05.000Z');
    expect(stored?.event.raw?.ref).toBe('event#generic:once-1');
    expect(isRepublished(stored?.event)).toBe(false);
    expect((await store.getRaw('event#generic:once-1'))?.toString()).toBe(body);
  });

  it('answers 5xx when the bus fails, and publishes the stored event on the retry', async () => {
    const { deps, publisher } = setup();
    const body = JSON.stringify(makeEvent({ id: 'retry-1' }));
    publisher.failNext = true;
    expect((await handleWebhook(signedRequest(body), deps)).status).toBe(503);
    expect((await handleWebhook(signedRequest(body), deps)).status).toBe(200);
    expect(publisher.published.map((event) => event.id)).toEqual(['generic:retry-1']);
  });

  it('publishes nothing itself for an event its store put on the bus in the same write (a store that is its own outbox)', async () => {
    const { deps, publisher } = setup();
    const given: Array<{ id: string; raw: RawPayload | undefined }> = [];
    const unused = async () => {
      throw new Error('not used by ingest');
    };
    const outbox: EventStore = {
      putIfAbsent: async (event, raw) => {
        given.push({ id: event.id, raw });
        return { created: true, published: true };
      },
      get: unused,
      listRecent: unused,
      addTags: unused,
      quarantine: unused,
    };
    const body = JSON.stringify(makeEvent({ id: 'outbox-1' }));
    expect((await handleWebhook(signedRequest(body), { ...deps, store: outbox })).status).toBe(200);
    expect(publisher.published).toEqual([]);
    expect(given).toEqual([
      { id: 'generic:outbox-1', raw: { platform: 'generic', body: Buffer.from(body), receivedAt: new Date('2026-11-22T10:00:05.000Z') } },
    ]);
  });

  it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
    const { deps, store } = setup();
    const body = JSON.stringify(makeEvent({ id: 'unsigned' }));
    const missing = await handleWebhook(signedRequest(body, { headers: {} }), deps);
    const wrong = await handleWebhook(signedRequest(body, { headers: { 'x-foghorn-signature': signGeneric('other', body) } }), deps);
    expect(missing).toMatchObject({ status: 401, body: { error: 'missing x-foghorn-signature header' } });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'x-foghorn-signature does not match the body' } });
    expect(await store.get('generic:unsigned')).toBeUndefined();
  });

  it('checks the signature over the raw bytes, so re-serialised JSON does not pass', async () => {
    const { deps } = setup();
    const body = JSON.stringify(makeEvent({ id: 'bytes' }));
    const request = signedRequest(body);
    const reformatted = { ...request, rawBody: Buffer.from(JSON.stringify(JSON.parse(body), null, 2)) };
    expect((await handleWebhook(reformatted, deps)).status).toBe(401);
  });

  it('quarantines a signed body that is not JSON or fails the schema, naming what is wrong', async () => {
    const { deps, store } = setup();
    const notJson = await handleWebhook(signedRequest('{not json'), deps);
    expect(notJson).toMatchObject({ status: 400, body: { error: 'body is not valid JSON' } });
    const badKind = await handleWebhook(signedRequest(JSON.stringify({ ...makeEvent({ id: 'bad' }), kind: 'telepathy' })), deps);
    expect(badKind.status).toBe(422);
    expect(JSON.stringify(badKind.body)).toContain('"path":"kind"');
    const quarantined = await store.listQuarantine(10);
    expect(quarantined.map((entry) => entry.reason)).toEqual(
      expect.arrayContaining(['body is not valid JSON', 'event 0 does not match the canonical event schema']),
    );
    expect(await store.get('generic:bad')).toBeUndefined();
    const notJsonEntry = quarantined.find((entry) => entry.reason === 'body is not valid JSON');
    expect((await store.getRaw(notJsonEntry?.rawRef ?? ''))?.toString()).toBe('{not json');
  });

  it('refuses an oversized body with 413, an unknown platform with 404, an unconfigured one with 503 naming the variable', async () => {
    const { deps } = setup();
    expect((await handleWebhook(signedRequest(Buffer.alloc(2048, 'a')), deps)).status).toBe(413);
    expect(await handleWebhook(signedRequest('{}', { platform: 'myspace' }), deps)).toMatchObject({
      status: 404,
      body: { error: "unknown platform 'myspace'" },
    });
    const unconfigured = setup({});
    expect(await handleWebhook(signedRequest('{}'), unconfigured.deps)).toMatchObject({
      status: 503,
      body: { detail: { missing: ['FOGHORN_GENERIC_SECRET'] } },
    });
  });
});

describe('handleWebhook: payloads that cannot be stored as sent', () => {
  const dynamo = useEmbeddedDynamo();
  const setup = () => {
    const publisher = new RecordingPublisher();
    const store = new DynamoEventStore({ client: dynamo.current.client, tableName: dynamo.current.tableName });
    const deps: IngestDependencies = {
      connectorFor,
      knownPlatforms: () => Object.keys(connectors),
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET }),
      store,
      publisher,
      clock: { now: () => new Date('2026-11-22T10:00:05.000Z') },
      maxBodyBytes: 256 * 1024,
    };
    return { deps, publisher, store };
  };
  /** A generic event whose `id` is the JSON number written as `digits` (JSON.stringify would round it). */
  const numericIdBody = (digits: string) => JSON.stringify(makeEvent({ id: 'placeholder' })).replace('"placeholder"', digits);
  const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

  it('keeps every digit of a numeric id above 2^53, so two neighbouring ids stay two events', async () => {
    const { deps, publisher, store } = setup();
    const first = await handleWebhook(signedRequest(numericIdBody('9007199254740993')), deps);
    const second = await handleWebhook(signedRequest(numericIdBody('9007199254740992')), deps);
    expect(first).toEqual({ status: 200, body: { ok: true, events: ['generic:9007199254740993'], duplicates: 0 } });
    expect(second).toEqual({ status: 200, body: { ok: true, events: ['generic:9007199254740992'], duplicates: 0 } });
    expect(publisher.published.map((event) => event.id)).toEqual(['generic:9007199254740993', 'generic:9007199254740992']);
    expect((await store.get('generic:9007199254740993'))?.event.id).toBe('generic:9007199254740993');
  });

  it('refuses with 422 naming `id` a number id that cannot be kept as written, and quarantines it', async () => {
    const { deps, store } = setup();
    const response = await handleWebhook(signedRequest(numericIdBody('9007199254740993.0')), deps);
    expect(response).toMatchObject({ status: 422, body: { detail: { path: 'id' } } });
    expect(JSON.stringify(response.body)).toContain('quarantineId');
    const quarantined = await store.listQuarantine(10);
    expect(quarantined.map((entry) => entry.reason)).toContainEqual(expect.stringContaining('`id`'));
  });

  it('answers 422 naming the depth limit to an event nested 5,000 levels, quarantines it, and answers the same to the redelivery', async () => {
    const { deps, store, publisher } = setup();
    const body = JSON.stringify(makeEvent({ id: 'deep-1' })).replace(/}$/, `,"meta":${nested(5000)}}`);
    const first = await handleWebhook(signedRequest(body), deps);
    const again = await handleWebhook(signedRequest(body), deps);
    for (const response of [first, again]) {
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({
        error: expect.stringContaining(`${MAX_PAYLOAD_DEPTH} levels`),
        detail: { limit: MAX_PAYLOAD_DEPTH },
      });
    }
    const quarantined = await store.listQuarantine(10);
    expect(quarantined.filter((entry) => entry.reason.includes(`${MAX_PAYLOAD_DEPTH} levels`))).toHaveLength(2);
    expect(await store.get('generic:deep-1')).toBeUndefined();
    expect(publisher.published).toEqual([]);
  });

  it('still accepts a meta nested a few levels deep', async () => {
    const { deps, store } = setup();
    const body = JSON.stringify(makeEvent({ id: 'shallow-1' })).replace(/}$/, `,"meta":${nested(8)}}`);
    expect((await handleWebhook(signedRequest(body), deps)).status).toBe(200);
    expect((await store.get('generic:shallow-1'))?.event.meta).toEqual(JSON.parse(nested(8)));
  });
});

describe('payload depth', () => {
  it('measures nesting in one pass, ignoring brackets inside strings', () => {
    expect(jsonNestingDepth(Buffer.from('{"a":[1,{"b":"[[[{{{\\"]]"}]}'))).toBe(3);
    expect(jsonNestingDepth(Buffer.from('"just a string"'))).toBe(0);
  });

  it('names the path where a value first goes past the limit', () => {
    expect(pathDeeperThan({ meta: { a: { b: 1 } } }, 3)).toBeUndefined();
    expect(pathDeeperThan({ meta: { a: { b: {} } } }, 3)).toBe('meta.a.b');
    expect(pathDeeperThan({ meta: [[[]]] }, 3)).toBe('meta.0.0');
  });
});
