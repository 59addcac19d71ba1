import { expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import type { DecisionStore, StoredDecision } from '../../../functions/core/ports.js';
import { makeEvent } from '../../support/events.js';

/**
 * What every DecisionStore must do, run against the embedded store (lmdb, without an outbox) and the
 * DynamoDB one (dynalite): the first decision for an event is kept, in one conditional write, and a losing
 * put gets the kept one back. Each test uses its own event ids, so a harness may share one table or folder.
 */
export function decisionStoreContract(make: () => DecisionStore): void {
  const command = (eventId: string, index: number): ActionCommand => ({
    id: `${eventId}#faq#${index}`,
    eventId,
    ruleId: 'faq',
    index,
    type: 'reply',
    params: { text: 'we open at nine' },
    event: makeEvent({ id: eventId }),
    createdAt: '2026-11-22T10:00:02.000Z',
  });
  const decision = (eventId: string, rules: string[], commands = 1): StoredDecision => ({
    eventId,
    rules,
    commands: Array.from({ length: commands }, (_, index) => command(eventId, index)),
    decidedAt: '2026-11-22T10:00:02.000Z',
  });

  it('keeps the first decision for an event and answers it, created, to its put', async () => {
    const store = make();
    const first = decision('generic:d1', ['faq'], 2);
    expect(await store.putIfAbsent(first)).toEqual({ decision: first, created: true, queued: false });
    const stored = await store.get('generic:d1');
    expect(stored).toEqual(first);
    expect(stored?.queued).not.toBe(true);
  });

  it('answers a later put with the decision already kept, not created, and keeps it unchanged', async () => {
    const store = make();
    const first = decision('generic:d2', ['faq']);
    await store.putIfAbsent(first);
    const second = { ...decision('generic:d2', ['other'], 3), decidedAt: '2026-11-22T10:05:00.000Z' };
    expect(await store.putIfAbsent(second)).toEqual({ decision: first, created: false, queued: false });
    expect(await store.get('generic:d2')).toEqual(first);
  });

  it('lets exactly one of concurrent puts win, and every put answers the winner', async () => {
    const store = make();
    const candidates = Array.from({ length: 8 }, (_, index) => decision('generic:d3', [`rule-${index}`]));
    const results = await Promise.all(candidates.map((candidate) => store.putIfAbsent(candidate)));
    const winners = results.filter((result) => result.created);
    expect(winners).toHaveLength(1);
    for (const result of results) expect(result.decision).toEqual(winners[0]?.decision);
    expect(await store.get('generic:d3')).toEqual(winners[0]?.decision);
  });

  it('keeps a decision with no commands (no rule matched), so a retry does not evaluate again', async () => {
    const store = make();
    const none = decision('generic:d4', [], 0);
    expect(await store.putIfAbsent(none)).toMatchObject({ created: true });
    expect(await store.putIfAbsent(decision('generic:d4', ['faq']))).toMatchObject({ decision: none, created: false });
  });

  it('has no decision for an event never decided', async () => {
    expect(await make().get('generic:never-decided')).toBeUndefined();
  });
}
