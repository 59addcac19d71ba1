import { describe, expect, it } from 'vitest';
import { memoryAnalyticsStore } from '../../functions/analytics/memory/analytics-store.js';
import type { AnalyticsStore } from '../../functions/analytics/ports.js';
import { AnalyticsRecorder, conversationOf } from '../../functions/analytics/recorder.js';
import {
  type AnalyticsChange,
  type Contribution,
  comparePositions,
  foldChanges,
  LANES_IN_FLIGHT,
  lanesOf,
} from '../../functions/analytics/stream-folding.js';
import { makeEvent } from '../support/events.js';

const T = Date.parse('2026-11-22T10:00:00.000Z');

/** The memory store, adding a stream's contributions as they come, failing from `failFrom` on when given. */
function onceStore(failFrom?: string) {
  const store = memoryAnalyticsStore();
  const added: Contribution[] = [];
  return {
    added,
    store: Object.assign(store, {
      async addOnce(_stream: string, contributions: readonly Contribution[]) {
        added.push(...contributions);
        const failed = contributions.find(
          (contribution) => failFrom !== undefined && comparePositions(contribution.position, failFrom) >= 0,
        );
        await store.add(contributions.filter((contribution) => contribution !== failed).flatMap((contribution) => contribution.deltas));
        return failed?.position;
      },
    }),
  };
}

const message = (id: string, at: number): AnalyticsChange => ({
  position: String(100 + at / 60_000),
  source: `DECISION#${id}`,
  decided: {
    subject: makeEvent({ id, createdAt: new Date(T + at).toISOString(), receivedAt: new Date(T + at).toISOString() }),
    rules: ['r'],
  },
});

describe('foldChanges', () => {
  it('orders positions as the numbers they are, the shorter first', () => {
    expect(['1000', '999', '1001', '10'].sort(comparePositions)).toEqual(['10', '999', '1000', '1001']);
  });

  it("folds each change with the recorder, in order, handing the store each change's figures at its position", async () => {
    const { store, added } = onceStore();
    const recorder = new AnalyticsRecorder({ store, responseTargetMs: () => 600_000 });
    expect(await foldChanges(recorder, store, 'shard-1', [message('generic:a', 0), message('generic:b', 60_000)])).toBeUndefined();
    expect(added.map((contribution) => [contribution.position, contribution.deltas.map((delta) => delta.inbound ?? 0)])).toEqual([
      ['100', [0, 1]],
      ['101', [0, 1]],
    ]);
    const [bucket] = await store.read(new Date(T), new Date(T + 3_600_000));
    expect(bucket).toMatchObject({ inbound: 2, ruleHits: { r: 2 } });
  });

  it('stops at the first change whose clock write fails, and reports it (what came before is added)', async () => {
    const { store, added } = onceStore();
    const failing: AnalyticsStore = Object.assign(store, {
      startClock: async (start: { messageId: string }) => {
        if (start.messageId === 'generic:b') throw new Error('throttled');
      },
    });
    const recorder = new AnalyticsRecorder({ store: failing, responseTargetMs: () => 600_000 });
    const errors: string[] = [];
    const changes = [message('generic:a', 0), message('generic:b', 60_000), message('generic:c', 120_000)];
    expect(await foldChanges(recorder, store, 'shard-1', changes, (_error, change) => errors.push(change.source))).toBe('101');
    expect(errors).toEqual(['DECISION#generic:b']);
    expect(added.map((contribution) => contribution.position)).toEqual(['100']);
  });

  it("folds the clocks of different conversations side by side, and a conversation's changes in stream order", async () => {
    // Prepare: twenty conversations, one of them with a second message in its thread after the first.
    const { store, added } = onceStore();
    let inFlight = 0;
    let most = 0;
    const started: string[] = [];
    const slow: AnalyticsStore = Object.assign(store, {
      startClock: async (start: { messageId: string }) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        started.push(start.messageId);
        inFlight -= 1;
      },
    });
    const recorder = new AnalyticsRecorder({ store: slow, responseTargetMs: () => 600_000 });
    const changes = Array.from({ length: 20 }, (_, index) => message(`generic:m${index}`, index * 60_000));
    const again: AnalyticsChange = {
      position: '200',
      source: 'DECISION#generic:m0-again',
      decided: { subject: makeEvent({ id: 'generic:m0-again', thread: { id: 'generic:m0' } }), rules: [] },
    };
    // Act
    expect(await foldChanges(recorder, store, 'shard-1', [...changes, again])).toBeUndefined();
    // Assess
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(LANES_IN_FLIGHT);
    expect(started.indexOf('generic:m0-again')).toBeGreaterThan(started.indexOf('generic:m0'));
    expect(added.map((contribution) => contribution.position)).toEqual([...changes.map((change) => change.position), '200']);
  });

  it('puts changes that touch a common conversation in one lane, in stream order', () => {
    const thread = (id: string, position: string, threadId: string): AnalyticsChange => ({
      position,
      source: `DECISION#${id}`,
      decided: { subject: makeEvent({ id, thread: { id: threadId } }), rules: [] },
    });
    const conversation = conversationOf(makeEvent({ id: 'generic:a', thread: { id: 't1' } }));
    const owned: AnalyticsChange = { position: '4', source: 'OWNER#x', owned: { conversation, since: new Date(T).toISOString() } };
    const lanes = lanesOf([thread('generic:a', '1', 't1'), thread('generic:b', '2', 't2'), thread('generic:c', '3', 't1'), owned]);
    expect(lanes.map((lane) => lane.map((change) => change.position))).toEqual([['1', '3', '4'], ['2']]);
  });

  it('reports the earlier of a failed clock and a failed bucket write', async () => {
    const { store } = onceStore('100');
    const recorder = new AnalyticsRecorder({ store, responseTargetMs: () => 600_000 });
    expect(await foldChanges(recorder, store, 'shard-1', [message('generic:a', 0), message('generic:b', 60_000)])).toBe('100');
  });

  it("notes an owner change beside the conversation's clock, in stream order, so the answer after it counts for that owner", async () => {
    // Prepare
    const { store } = onceStore();
    const recorder = new AnalyticsRecorder({ store, responseTargetMs: () => 600_000 });
    const owned = (position: string, person: string, minutes: number): AnalyticsChange => ({
      position,
      source: 'OWNER#generic|c1|owned-1',
      owned: { conversation: 'generic|c1|owned-1', person, since: new Date(T + minutes * 60_000).toISOString() },
    });
    const answer: AnalyticsChange = {
      position: '104',
      source: 'ACTION#reply-1',
      answered: {
        answer: { platform: 'generic', channel: 'c1', lang: 'und', by: 'automated', conversations: ['generic|c1|owned-1'] },
        at: new Date(T + 4 * 60_000),
      },
    };
    // Act: sara, then reza, then the answer; a later change to leyla comes after it.
    expect(
      await foldChanges(recorder, store, 'shard-1', [
        message('generic:owned-1', 0),
        owned('102', 'sara', 1),
        owned('103', 'reza', 2),
        answer,
        owned('105', 'leyla', 5),
      ]),
    ).toBeUndefined();
    // Assess
    const buckets = await store.read(new Date(T), new Date(T + 3_600_000));
    expect(buckets.filter((bucket) => bucket.firstAutomated > 0).map((bucket) => [bucket.person, bucket.responseMs])).toEqual([
      ['reza', [4 * 60_000]],
    ]);
  });
});
