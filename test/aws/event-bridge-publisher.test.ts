import { EventBridgeClient, type PutEventsCommand, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { EntryTooLargeError, EventPublishError } from '../../functions/aws/errors.js';
import { EventBridgePublisher, entrySize } from '../../functions/aws/event-bridge-publisher.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { BUS_EVENT_MAX_BYTES, EXCERPT_TEXT_CHARS, eventBytes } from '../../functions/core/event-excerpt.js';
import { loopbackClientConfig, startAwsJsonServer } from './loopback-aws.js';
import { RecordingClient } from './recorder.js';

function sampleEvent(n: number, text = `hello ${n}`): CanonicalEvent {
  return {
    id: `generic:${n}`,
    platform: 'generic',
    kind: 'message',
    text,
    author: { id: `user-${n}` },
    channel: { id: 'support' },
    thread: {},
    createdAt: '2026-11-22T01:00:00.000Z',
    receivedAt: '2026-11-22T01:00:01.000Z',
  };
}

function accepting(): RecordingClient<PutEventsCommand, PutEventsCommandOutput> {
  return new RecordingClient((command) => ({
    FailedEntryCount: 0,
    Entries: (command.input.Entries ?? []).map((_, i) => ({ EventId: `eb-${i}` })),
    $metadata: {},
  }));
}

describe('EventBridgePublisher', () => {
  it('puts each event on the bus as foghorn.ingest / social.event with the event as detail', async () => {
    // Prepare
    const client = accepting();
    const publisher = new EventBridgePublisher({ busName: 'foghorn-bus', client });
    const event = sampleEvent(1);
    // Act
    await publisher.publish([event]);
    // Assess
    expect(client.inputs).toEqual([
      {
        Entries: [{ EventBusName: 'foghorn-bus', Source: 'foghorn.ingest', DetailType: 'social.event', Detail: JSON.stringify(event) }],
      },
    ]);
    expect(JSON.parse(client.inputs[0]?.Entries?.[0]?.Detail ?? '')).toEqual(event);
  });

  it('sends nothing for no events', async () => {
    const client = accepting();
    await new EventBridgePublisher({ busName: 'b', client }).publish([]);
    expect(client.commands).toHaveLength(0);
  });

  it('batches by 10 entries per PutEvents request, in order', async () => {
    const client = accepting();
    const events = Array.from({ length: 23 }, (_, i) => sampleEvent(i));
    await new EventBridgePublisher({ busName: 'b', client }).publish(events);
    expect(client.inputs.map((input) => input.Entries?.length)).toEqual([10, 10, 3]);
    const sentIds = client.inputs
      .flatMap((input) => input.Entries ?? [])
      .map((entry) => (JSON.parse(entry.Detail ?? '{}') as CanonicalEvent).id);
    expect(sentIds).toEqual(events.map((e) => e.id));
  });

  it('batches by the 256 KB request size, counted as EventBridge counts it', async () => {
    // Five events of ~60 KB each (under the excerpt threshold, so whole): four fit in 256 KB, the fifth starts a new request.
    const client = accepting();
    const big = (n: number) => sampleEvent(n, 'x'.repeat(60 * 1024));
    await new EventBridgePublisher({ busName: 'b', client }).publish([big(1), big(2), big(3), big(4), big(5)]);
    expect(client.inputs.map((input) => input.Entries?.length)).toEqual([4, 1]);
    for (const input of client.inputs) {
      const bytes = (input.Entries ?? []).reduce((sum, entry) => sum + entrySize(entry), 0);
      expect(bytes).toBeLessThanOrEqual(256 * 1024);
    }
  });

  it('puts a large event on the bus as its excerpt, marked trimmed with its whole size (evaluate reads it from the store)', async () => {
    const client = accepting();
    // 100,000 characters of two-byte text: about 200 KB whole, near an entry's 256 KB.
    const long = sampleEvent(9, 'ж'.repeat(100_000));
    const justUnder = sampleEvent(10, 'x'.repeat(BUS_EVENT_MAX_BYTES - eventBytes(sampleEvent(10, ''))));
    await new EventBridgePublisher({ busName: 'b', client }).publish([long, justUnder]);
    const [sentLong, sentUnder] = (client.inputs[0]?.Entries ?? []).map((entry) => JSON.parse(entry.Detail ?? '{}') as CanonicalEvent);
    expect(sentLong).toEqual({ ...long, text: `${'ж'.repeat(EXCERPT_TEXT_CHARS)}…`, trimmed: { bytes: eventBytes(long) } });
    expect(entrySize(client.inputs[0]?.Entries?.[0] ?? {})).toBeLessThan(4 * 1024);
    expect(eventBytes(justUnder)).toBe(BUS_EVENT_MAX_BYTES);
    expect(sentUnder).toEqual(justUnder);
  });

  it('counts multi-byte text in UTF-8 bytes, not characters', () => {
    const detail = JSON.stringify({ text: '🚀' });
    expect(entrySize({ Source: 'foghorn.ingest', DetailType: 'social.event', Detail: detail })).toBe(
      'foghorn.ingest'.length + 'social.event'.length + Buffer.byteLength(detail),
    );
    expect(entrySize({ Source: 's', DetailType: 'd', Time: new Date(), Resources: ['ab'] })).toBe(14 + 1 + 1 + 2);
  });

  it('throws EventPublishError naming the failed events when FailedEntryCount > 0', async () => {
    // Prepare: the second entry of the first request is refused for good.
    const client = new RecordingClient<PutEventsCommand, PutEventsCommandOutput>(() => ({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'ok' }, { ErrorCode: 'MalformedDetail', ErrorMessage: 'detail is not valid JSON' }],
      $metadata: {},
    }));
    const publisher = new EventBridgePublisher({ busName: 'foghorn-bus', client });
    // Act
    const error = await publisher.publish([sampleEvent(1), sampleEvent(2)]).catch((e: unknown) => e);
    // Assess: a 5xx (so ingest answers 5xx and the platform retries), naming event 2 only.
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).status).toBeGreaterThanOrEqual(500);
    expect((error as EventPublishError).message).toContain('foghorn-bus');
    expect((error as EventPublishError).detail).toEqual({
      failed: [{ eventId: 'generic:2', errorCode: 'MalformedDetail', errorMessage: 'detail is not valid JSON' }],
    });
    // A refusal for good is not sent again.
    expect(client.commands).toHaveLength(1);
  });

  it('sends again only the entries the bus refused for now, after a backoff, and succeeds when they go', async () => {
    // Prepare: the first request has its second and fourth entries throttled; the retry takes both.
    const waits: number[] = [];
    const client = new RecordingClient<PutEventsCommand, PutEventsCommandOutput>((command, call) => {
      const entries = command.input.Entries ?? [];
      if (call > 0) return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `retry-${i}` })), $metadata: {} };
      return {
        FailedEntryCount: 2,
        Entries: entries.map((_, i) =>
          i % 2 ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' } : { EventId: `eb-${i}` },
        ),
        $metadata: {},
      };
    });
    const publisher = new EventBridgePublisher({ busName: 'b', client, sleep: async (ms) => void waits.push(ms) });
    const events = [1, 2, 3, 4].map((n) => sampleEvent(n));
    // Act
    await publisher.publish(events);
    // Assess: the exact second request carries events 2 and 4, and nothing was reported lost.
    const ids = (input: (typeof client.inputs)[number]) =>
      (input.Entries ?? []).map((entry) => (JSON.parse(entry.Detail ?? '{}') as CanonicalEvent).id);
    expect(client.inputs.map(ids)).toEqual([events.map((e) => e.id), ['generic:2', 'generic:4']]);
    expect(client.inputs[1]?.Entries?.[0]).toEqual({
      EventBusName: 'b',
      Source: 'foghorn.ingest',
      DetailType: 'social.event',
      Detail: JSON.stringify(events[1]),
    });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
  });

  it('reports an entry still refused after its retries, naming it and its code, and no other', async () => {
    const waits: number[] = [];
    const client = new RecordingClient<PutEventsCommand, PutEventsCommandOutput>((command) => ({
      FailedEntryCount: 1,
      Entries: (command.input.Entries ?? []).map((entry) =>
        entry.Detail?.includes('"generic:2"') ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: 'ok' },
      ),
      $metadata: {},
    }));
    const counts: number[] = [];
    const publisher = new EventBridgePublisher({
      busName: 'b',
      client,
      maxRetries: 2,
      sleep: async (ms) => void waits.push(ms),
      onFailed: (count) => counts.push(count),
    });
    const error = await publisher.publish([sampleEvent(1), sampleEvent(2), sampleEvent(3)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).detail).toEqual({
      failed: [{ eventId: 'generic:2', errorCode: 'InternalFailure', errorMessage: 'try again' }],
    });
    // The first request, then two retries of event 2 alone, each after a longer wait.
    expect(client.inputs.map((input) => input.Entries?.length)).toEqual([3, 1, 1]);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThan(waits[0]! * 0.99);
    expect(counts).toEqual([1]);
  });

  it('lets publishes made while requests are in flight share the next requests, each told only of its own events', async () => {
    // Prepare: requests are answered only when the test lets them, as if the bus were slow; event 13 is refused for good.
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const client = new RecordingClient<PutEventsCommand, PutEventsCommandOutput>(async (command) => {
      await gate;
      const entries = command.input.Entries ?? [];
      const results = entries.map((entry) =>
        entry.Detail?.includes('"generic:13"') ? { ErrorCode: 'MalformedDetail' } : { EventId: 'ok' },
      );
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results, $metadata: {} };
    });
    const publisher = new EventBridgePublisher({ busName: 'b', client, maxInFlight: 2 });
    const events = Array.from({ length: 25 }, (_, i) => sampleEvent(i));
    // Act: 25 publishes of one event each, as the sweep's parallel fires make them.
    const outcomes = events.map((event) =>
      publisher.publish([event]).then(
        () => 'published',
        (error: unknown) =>
          error instanceof EventPublishError
            ? (error.detail as { failed: Array<{ eventId: string }> }).failed.map((f) => f.eventId).join()
            : 'other',
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    open();
    const settled = await Promise.all(outcomes);
    // Assess: every event went out exactly once, in far fewer requests than publishes, none over 10 entries.
    const sent = client.inputs.flatMap((input) =>
      (input.Entries ?? []).map((entry) => (JSON.parse(entry.Detail ?? '{}') as CanonicalEvent).id),
    );
    expect([...sent].sort()).toEqual(events.map((e) => e.id).sort());
    expect(client.commands.length).toBeLessThanOrEqual(2 + 3);
    for (const input of client.inputs) expect(input.Entries?.length).toBeLessThanOrEqual(10);
    expect(settled.filter((outcome) => outcome === 'published')).toHaveLength(24);
    expect(settled[13]).toBe('generic:13');
  });

  it('still sends the remaining batches after one fails, then throws for the failed one', async () => {
    const client = new RecordingClient<PutEventsCommand, PutEventsCommandOutput>((command, call) => {
      if (call === 0) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      return { FailedEntryCount: 0, Entries: (command.input.Entries ?? []).map(() => ({ EventId: 'ok' })), $metadata: {} };
    });
    const events = Array.from({ length: 12 }, (_, i) => sampleEvent(i));
    const error = await new EventBridgePublisher({ busName: 'b', client }).publish(events).catch((e: unknown) => e);
    expect(client.commands).toHaveLength(2);
    expect(error).toBeInstanceOf(EventPublishError);
    const failed = ((error as EventPublishError).detail as { failed: Array<{ eventId: string; errorCode: string }> }).failed;
    expect(failed.map((f) => f.eventId)).toEqual(events.slice(0, 10).map((e) => e.id));
    expect(failed[0]?.errorCode).toBe('TimeoutError');
  });

  it('tells its onFailed how many events the bus refused, and nothing when every event went out', async () => {
    const refusing = new RecordingClient<PutEventsCommand, PutEventsCommandOutput>((command, call) => {
      if (call === 0) throw Object.assign(new Error('rate exceeded'), { name: 'ThrottlingException' });
      return { FailedEntryCount: 0, Entries: (command.input.Entries ?? []).map(() => ({ EventId: 'ok' })), $metadata: {} };
    });
    const counts: number[] = [];
    const publisher = new EventBridgePublisher({ busName: 'b', client: refusing, onFailed: (count) => counts.push(count) });
    await expect(publisher.publish(Array.from({ length: 12 }, (_, i) => sampleEvent(i)))).rejects.toBeInstanceOf(EventPublishError);
    expect(counts).toEqual([10]);

    const quiet: number[] = [];
    await new EventBridgePublisher({ busName: 'b', client: accepting(), onFailed: (count) => quiet.push(count) }).publish([sampleEvent(1)]);
    expect(quiet).toEqual([]);
  });

  it('refuses an event above the per-entry ceiling with a 413 before sending anything', async () => {
    const client = accepting();
    const publisher = new EventBridgePublisher({ busName: 'b', client, maxEntryBytes: 1000 });
    const error = await publisher.publish([sampleEvent(1), sampleEvent(2, 'y'.repeat(2000))]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntryTooLargeError);
    expect((error as EntryTooLargeError).status).toBe(413);
    expect((error as Error).message).toContain('generic:2');
    expect(client.commands).toHaveLength(0);
  });

  it('works with a real EventBridgeClient (wire request checked on a loopback server)', async () => {
    const server = await startAwsJsonServer(() => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] }));
    try {
      const client = new EventBridgeClient(loopbackClientConfig(server.endpoint));
      await new EventBridgePublisher({ busName: 'foghorn-bus', client }).publish([sampleEvent(7)]);
      expect(server.calls).toEqual([
        {
          target: 'AWSEvents.PutEvents',
          body: {
            Entries: [
              { EventBusName: 'foghorn-bus', Source: 'foghorn.ingest', DetailType: 'social.event', Detail: JSON.stringify(sampleEvent(7)) },
            ],
          },
        },
      ]);
      client.destroy();
    } finally {
      await server.close();
    }
  });
});
