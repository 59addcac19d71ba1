import { describe, expect, it, vi } from 'vitest';
import { memoryAnalyticsStore } from '../../functions/analytics/memory/analytics-store.js';
import type { AnalyticsDelta, AnalyticsStore } from '../../functions/analytics/ports.js';
import type { Adapters } from '../../functions/app/adapters.js';
import { recordingAnalytics, withAnalyticsRecording } from '../../functions/app/analytics-recording.js';
import type { AssignmentStore, ConversationOwner } from '../../functions/assignment/ports.js';
import { type ActionCommand, commandFor } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import type { ActionStore, DecisionStore } from '../../functions/core/ports.js';
import { makeEvent } from '../support/events.js';

const T = Date.parse('2026-11-22T10:00:00.000Z');
const MINUTE = 60_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Just enough of the adapters for the recording: a rule set that lists one rule, stores that always agree. */
function adaptersWith(analytics: AnalyticsStore, adds: AnalyticsDelta[][]): Adapters {
  const decisions: Pick<DecisionStore, 'putIfAbsent'> = {
    putIfAbsent: async (decision) => {
      await pause(Math.random() * 3);
      return { created: true, decision, queued: false } as Awaited<ReturnType<DecisionStore['putIfAbsent']>>;
    },
  };
  const actions: Pick<ActionStore, 'claim' | 'complete' | 'release'> = {
    claim: async () => 'claimed',
    complete: async () => {
      await pause(Math.random() * 3);
    },
    release: async () => undefined,
  };
  const store: AnalyticsStore = {
    ...analytics,
    add: async (deltas) => {
      adds.push([...deltas]);
      await analytics.add(deltas);
    },
  };
  return {
    analytics: store,
    teamConfig: { current: () => ({}) },
    logger: { warn: vi.fn(), info: vi.fn(), error: vi.fn(), debug: vi.fn() },
    decisions,
    actions,
    rules: { current: async () => ({ ruleSet: { evaluate: async () => ({ rules: ['faq'], actions: [] }) } }) },
    crisisStores: { episodes: {} },
  } as unknown as Adapters;
}

describe('analytics recording around the pipeline ports', () => {
  it('records the figures of concurrent stage calls once each, every one added by the end of the calls', async () => {
    // Prepare: an evaluate stage (event → decision) and an act stage (claim → complete), wired as stage() wires them
    const analytics = memoryAnalyticsStore();
    const adds: AnalyticsDelta[][] = [];
    const adapters = adaptersWith(analytics, adds);
    const evaluate = await recordingAnalytics((a) => async (event: CanonicalEvent) => {
      const { ruleSet } = await a.rules.current();
      const decision = await ruleSet.evaluate(event, { now: new Date(T), state: undefined as never });
      await pause(Math.random() * 3);
      await a.decisions.putIfAbsent({ eventId: event.id, rules: decision.rules, commands: [], decidedAt: new Date(T).toISOString() });
    })(adapters);
    const act = await recordingAnalytics((a) => async (command: ActionCommand, minutes: number) => {
      await a.actions.claim(command, 30_000, new Date(T));
      await pause(Math.random() * 3);
      await a.actions.complete(command.id, { status: 'succeeded', mode: 'sandbox' } as never, new Date(T + minutes * MINUTE));
    })(adapters);
    const events = Array.from({ length: 40 }, (_, i) =>
      makeEvent({ id: `generic:m${i}`, author: { id: `u${i}`, handle: `u${i}` }, thread: { id: `t${i}` } }),
    );
    // Act
    await Promise.all(events.map((event) => evaluate(event)));
    const commands = events.map((event) =>
      commandFor(event, { type: 'reply', ruleId: 'faq', index: 0, params: { text: 'hi' } }, new Date(T)),
    );
    await Promise.all(commands.map((command, i) => act(command, 1 + (i % 20))));
    // Assess: 40 messages in, 40 replies out, each conversation's first response measured once
    const [bucket] = await analytics.read(new Date(T), new Date(T + 60 * MINUTE));
    expect(bucket).toMatchObject({ inbound: 40, answersAutomated: 40, firstAutomated: 40, withinTarget: 20, ruleHits: { faq: 40 } });
    expect([...(bucket?.responseMs ?? [])].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => (1 + (i % 20)) * MINUTE).sort((a, b) => a - b),
    );
    // At most one add per call (80 calls), each with one delta per bucket
    expect(adds.length).toBeGreaterThan(0);
    expect(adds.length).toBeLessThanOrEqual(80);
    for (const deltas of adds) expect(deltas).toHaveLength(1);
  });

  it("notes each owner the assignment store stores beside the conversation's clock, and nothing when the stream carries it", async () => {
    // Prepare: an assignment store that stores the first change of each conversation and refuses the rest.
    const stored = new Map<string, ConversationOwner>();
    const assignments = {
      assign: async (owner: ConversationOwner, expected: string | undefined) => {
        if (stored.get(owner.conversation)?.change === owner.change) return 'repeated';
        if (stored.get(owner.conversation)?.change !== expected) return 'conflict';
        stored.set(owner.conversation, owner);
        return 'assigned';
      },
    } as unknown as AssignmentStore;
    const owner = (change: string, person: string, minutes: number): ConversationOwner => ({
      conversation: 'generic|c1|t1',
      person,
      team: 'persian-desk',
      since: new Date(T + minutes * MINUTE).toISOString(),
      by: 'user:lead',
      why: 'test',
      open: true,
      change,
      eventId: 'generic:m1',
    });
    const noted: unknown[] = [];
    const analytics = memoryAnalyticsStore();
    const watched = { ...analytics, ownerChanged: async (note: Parameters<AnalyticsStore['ownerChanged']>[0]) => void noted.push(note) };
    const local = withAnalyticsRecording({ ...adaptersWith(watched, []), assignments });
    // Act: sara, a repeat of that change, a change that lost a race, then reza.
    expect(await local.assignments!.assign(owner('c1', 'sara', 1), undefined)).toBe('assigned');
    expect(await local.assignments!.assign(owner('c1', 'sara', 1), undefined)).toBe('repeated');
    expect(await local.assignments!.assign(owner('c3', 'mina', 2), 'c0')).toBe('conflict');
    expect(await local.assignments!.assign(owner('c2', 'reza', 3), 'c1')).toBe('assigned');
    // Assess
    expect(noted).toEqual([
      { conversation: 'generic|c1|t1', person: 'sara', team: 'persian-desk', since: T + MINUTE },
      { conversation: 'generic|c1|t1', person: 'reza', team: 'persian-desk', since: T + 3 * MINUTE },
    ]);
    // On AWS the owner's item is on the table's stream: the pipeline's assignment store is handed over as it is.
    const aws = withAnalyticsRecording({ ...adaptersWith({ ...watched, recordedFromStream: true }, []), assignments });
    expect(aws.assignments).toBe(assignments);
  });
});
