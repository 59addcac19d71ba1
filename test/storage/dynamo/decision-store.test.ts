import { describe, expect, it } from 'vitest';
import type { StoredDecision } from '../../../functions/core/ports.js';
import { DynamoDecisionStore } from '../../../functions/storage/dynamo/decision-store.js';
import { useEmbeddedDynamo } from '../../support/dynamo.js';
import { countDynamoCalls } from '../../support/dynamo-calls.js';

function decision(eventId: string, rules: string[]): StoredDecision {
  return { eventId, rules, commands: [], decidedAt: '2026-11-22T10:00:00.000Z' };
}

describe('DynamoDecisionStore', () => {
  const dynamo = useEmbeddedDynamo();
  const store = () => new DynamoDecisionStore(dynamo.current);

  it('keeps the first decision in one conditional put; a later one gets it back with the refusal, reading nothing', async () => {
    const calls = countDynamoCalls(dynamo.current.client);
    expect(await store().putIfAbsent(decision('generic:d1', ['first']))).toEqual({
      decision: decision('generic:d1', ['first']),
      created: true,
      queued: false,
    });
    expect(await store().putIfAbsent(decision('generic:d1', ['second']))).toEqual({
      decision: decision('generic:d1', ['first']),
      created: false,
      queued: false,
    });
    calls.stop();
    expect(calls.names).toEqual(['PutItemCommand', 'PutItemCommand']);
    expect(await store().get('generic:d1')).toEqual(decision('generic:d1', ['first']));
    expect(await store().get('generic:none')).toBeUndefined();
  });

  it('keeps exactly one of many concurrent decisions, and every caller gets that one', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => store().putIfAbsent(decision('generic:d2', [`r${i}`]))));
    expect(answers.filter((answer) => answer.created)).toHaveLength(1);
    const kept = answers.find((answer) => answer.created)?.decision;
    for (const answer of answers) expect(answer.decision).toEqual(kept);
  });
});
