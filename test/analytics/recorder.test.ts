import { describe, expect, it } from 'vitest';
import { memoryAnalyticsStore } from '../../functions/analytics/memory/analytics-store.js';
import type { AnalyticsDelta } from '../../functions/analytics/ports.js';
import { AnalyticsRecorder, ownerNoteOf, repliedConversations } from '../../functions/analytics/recorder.js';
import { analyticsReport } from '../../functions/analytics/report.js';
import { commandFor } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { APPROVAL_PARAM } from '../../functions/crisis/approvals.js';
import { makeEvent } from '../support/events.js';

const T = Date.parse('2026-11-22T10:00:00.000Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(T + minutes * MINUTE).toISOString();

/** The recorder over the in-memory store, each step's figures added as a stage call would add them. */
function setup(targetMinutes = 10) {
  const store = memoryAnalyticsStore();
  const recorder = new AnalyticsRecorder({ store, responseTargetMs: () => targetMinutes * MINUTE });
  const step = async (run: (pending: AnalyticsDelta[]) => Promise<void> | void) => {
    const pending: AnalyticsDelta[] = [];
    await run(pending);
    await recorder.add(pending);
  };
  return {
    decided: (event: CanonicalEvent, rules: string[] = []) => step((pending) => recorder.decided(event, rules, pending)),
    replied: (event: CanonicalEvent, minutes: number, params: Record<string, unknown> = {}) =>
      step((pending) =>
        recorder.replied(
          commandFor(event, { type: 'reply', ruleId: 'faq', index: 0, params: { text: 'We open at nine.', ...params } }, new Date(T)),
          new Date(T + minutes * MINUTE),
          pending,
        ),
      ),
    owned: (conversation: string, minutes: number, owner: { person?: string; team?: string }) =>
      recorder.ownerChanged({ conversation, ...owner, since: at(minutes) }),
    report: async (by: 'platform' | 'channel' | 'team' | 'person' = 'platform') =>
      analyticsReport(
        await store.read(new Date(T - 2 * 60 * MINUTE), new Date(T + 24 * 60 * MINUTE)),
        { from: new Date(T - 2 * 60 * MINUTE), to: new Date(T + 24 * 60 * MINUTE), by },
        { text: `${targetMinutes}m`, ms: targetMinutes * MINUTE },
      ),
  };
}

const customer = (id: string, minutes: number, overrides: Partial<CanonicalEvent> = {}) =>
  makeEvent({ id: `generic:${id}`, createdAt: at(minutes), receivedAt: at(minutes), ...overrides });
const brand = (id: string, minutes: number, overrides: Partial<CanonicalEvent> = {}) =>
  makeEvent({
    id: `generic:${id}`,
    author: { id: 'brand', name: 'Acme', isSelf: true },
    createdAt: at(minutes),
    receivedAt: at(minutes),
    ...overrides,
  });

describe('recording first responses', () => {
  it("counts one-to-one conversations together in their platform's direct channel, and each other channel apart", async () => {
    // Prepare: two customers in direct conversations (their channels name them) and one on a shared channel.
    const figures = setup();
    const dmSara = customer('d1', 0, { kind: 'dm', channel: { id: 'D-sara', direct: true } });
    const dmReza = customer('d2', 1, { kind: 'dm', channel: { id: 'D-reza', direct: true } });
    const wall = customer('d3', 2, { channel: { id: 'wall' } });
    // Act
    for (const event of [dmSara, dmReza, wall]) await figures.decided(event);
    await figures.replied(dmSara, 3);
    await figures.replied(dmReza, 5);
    // Assess
    const { groups } = await figures.report('channel');
    expect(groups.map((group) => [group.key, group.inbound, group.firstResponse.count])).toEqual([
      ['generic:direct', 2, 2],
      ['generic:wall', 1, 0],
    ]);
  });

  it('measures from a customer message to the brand answer in its thread: a human answer within the target', async () => {
    // Prepare
    const figures = setup();
    // Act
    await figures.decided(customer('m1', 0));
    await figures.decided(brand('b1', 7, { thread: { id: 'm1', replyToId: 'm1' } }));
    // Assess
    const { totals } = await figures.report();
    expect(totals.inbound).toBe(1);
    expect(totals.firstResponse).toMatchObject({
      count: 1,
      p50Seconds: 420,
      p90Seconds: 420,
      withinTarget: 1,
      shareWithinTarget: 1,
      human: 1,
    });
    expect(totals.answers).toEqual({ automated: 0, human: 1 });
  });

  it("counts Foghorn's reply as automated and a reply a person approved as human", async () => {
    // Prepare
    const figures = setup();
    const asked = customer('m2', 0, { thread: { id: 't2' } });
    const held = customer('m3', 0, { thread: { id: 't3' } });
    await figures.decided(asked);
    await figures.decided(held);
    // Act
    await figures.replied(asked, 0.5);
    await figures.replied(held, 12, { [APPROVAL_PARAM]: 'act_1' });
    // Assess
    const { totals } = await figures.report();
    expect(totals.answers).toEqual({ automated: 1, human: 1 });
    expect(totals.firstResponse).toMatchObject({ count: 2, automated: 1, human: 1, withinTarget: 1, shareWithinTarget: 0.5 });
    expect(totals.firstResponse.p90Seconds).toBe(720);
  });

  it('keeps the first of several waiting messages, and a second answer measures nothing', async () => {
    const figures = setup();
    await figures.decided(customer('m4', 0, { thread: { id: 't4' } }));
    await figures.decided(customer('m5', 3, { thread: { id: 't4' } }));
    await figures.decided(brand('b4', 8, { thread: { id: 't4' } }));
    await figures.decided(brand('b5', 9, { thread: { id: 't4' } }));
    const { totals } = await figures.report();
    expect(totals.inbound).toBe(2);
    expect(totals.firstResponse).toMatchObject({ count: 1, p50Seconds: 480 });
    expect(totals.answers.human).toBe(2);
  });

  it('answers a direct message in its DM channel, and a reply to an SLA breach answers the message it was about', async () => {
    // Prepare
    const figures = setup();
    const dm = customer('m6', 0, { kind: 'dm', channel: { id: 'dm-sara' } });
    const waited = customer('m7', 0, { channel: { id: 'web-2' } });
    await figures.decided(dm);
    await figures.decided(waited);
    const breach = customer('sla-breached:x', 10, {
      kind: 'sla.breached',
      channel: { id: 'web-2' },
      meta: { sla: { eventId: 'generic:m7', timer: 'x' } },
    });
    // Act
    await figures.decided(brand('b6', 2, { kind: 'dm', channel: { id: 'dm-sara' } }));
    await figures.decided(breach, ['unanswered']);
    await figures.replied(breach, 11);
    // Assess
    const { totals, topRules } = await figures.report();
    expect(totals.inbound).toBe(2);
    expect(totals.slaBreaches).toBe(1);
    expect(totals.firstResponse).toMatchObject({ count: 2, p50Seconds: 120, p90Seconds: 660, withinTarget: 1 });
    expect(topRules).toEqual([{ ruleId: 'unanswered', hits: 1 }]);
  });

  it("Foghorn's own reply seen again on the platform is no second answer, but can be the first response", async () => {
    const figures = setup();
    await figures.decided(customer('m8', 0, { thread: { id: 't8' } }));
    await figures.decided(brand('echo', 1, { thread: { id: 't8' }, sentByFoghorn: true, author: { id: 'brand' } }));
    const { totals } = await figures.report();
    expect(totals.answers).toEqual({ automated: 0, human: 0 });
    expect(totals.firstResponse).toMatchObject({ count: 1, automated: 1, p50Seconds: 60 });
  });

  it('does not count reactions, platform notices or the brand as inbound, and counts every rule a decision listed', async () => {
    const figures = setup();
    await figures.decided(customer('r1', 0, { kind: 'reaction' }), ['likes']);
    await figures.decided(customer('n1', 0, { kind: 'system' }));
    await figures.decided(brand('p1', 0, { kind: 'post' }), ['likes']);
    await figures.decided(customer('q1', 0), ['faq', 'likes']);
    const { totals, topRules } = await figures.report();
    expect(totals.inbound).toBe(1);
    expect(topRules).toEqual([
      { ruleId: 'likes', hits: 3 },
      { ruleId: 'faq', hits: 1 },
    ]);
  });

  it('judges each first response against the target in force when it is measured', async () => {
    const figures = setup(5);
    await figures.decided(customer('m9', 0, { thread: { id: 't9' } }));
    await figures.decided(brand('b9', 7, { thread: { id: 't9' } }));
    const { totals, responseTarget } = await figures.report();
    expect(responseTarget).toEqual({ text: '5m', seconds: 300 });
    expect(totals.firstResponse).toMatchObject({ count: 1, withinTarget: 0, shareWithinTarget: 0 });
  });

  it("counts a direct message's first response, automatic or by a person, for the owner of its thread", async () => {
    // Prepare: two customers write to the account's DMs; the Persian desk's sara owns the first one's thread.
    const figures = setup();
    const dm = (id: string, thread: string, minutes: number) =>
      customer(id, minutes, { kind: 'dm', channel: { id: 'acme' }, thread: { id: thread } });
    await figures.decided(dm('d1', 'cust-1', 0));
    await figures.owned('generic|acme|cust-1', 1, { person: 'sara', team: 'persian-desk' });
    // Act: Foghorn's reply to it after 3 minutes stops the DM clock; the thread, where the owner is noted, is reached too.
    await figures.replied(dm('d1', 'cust-1', 0), 3);
    await figures.decided(dm('d2', 'cust-2', 10));
    await figures.decided(brand('b2', 15, { kind: 'dm', channel: { id: 'acme' }, thread: { id: 'cust-2' } }));
    // Assess
    const byPerson = await figures.report('person');
    expect(byPerson.groups.map((group) => [group.key, group.firstResponse.count, group.firstResponse.p50Seconds])).toEqual([
      ['(unassigned)', 1, 300],
      ['sara', 1, 180],
    ]);
    expect((await figures.report('team')).groups.find((group) => group.key === 'persian-desk')?.firstResponse.automated).toBe(1);
  });

  it("reads an assignment's owner note, and a reply reaches the thread its assignment is kept under", () => {
    expect(ownerNoteOf({ conversation: 'generic|web|t1', person: 'sara', team: undefined, since: at(2) })).toEqual({
      conversation: 'generic|web|t1',
      person: 'sara',
      since: T + 2 * MINUTE,
    });
    expect(ownerNoteOf({ conversation: 'generic|web|t1', since: 'yesterday' })).toBeUndefined();
    const dm = customer('d3', 0, { kind: 'dm', channel: { id: 'acme' }, thread: { id: 'cust-3' } });
    expect(repliedConversations(dm)).toEqual(['generic|acme|*dm', 'generic|acme|cust-3']);
    expect(repliedConversations(customer('m9', 0, { thread: { id: 't9' } }))).toEqual(['generic|c1|t9']);
  });
});
