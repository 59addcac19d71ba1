import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { evaluateEvent } from '../../functions/core/evaluate.js';
import type { CommandQueue, DecisionStore, StoredDecision } from '../../functions/core/ports.js';
import type { RuleSet } from '../../functions/core/rule-set.js';
import { compileSources, createRuleSet, parseFoghornConfig } from '../../functions/rules/index.js';
import { DynamoDecisionStore } from '../../functions/storage/dynamo/decision-store.js';
import { DynamoRuleState } from '../../functions/storage/dynamo/rule-state.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { countDynamoCalls } from '../support/dynamo-calls.js';
import { makeEvent } from '../support/events.js';

const RULE = `id: hours-reply
when: { all: [{ fact: text, operator: containsAny, value: [opening hours] }] }
then: [{ reply: { text: "We are open 9-18." } }]
limits: { perAuthor: 1/24h }
`;

/** The starter rule language over one rule, counting the evaluations it is asked for. */
function countingRuleSet(): RuleSet & { evaluations: number } {
  const config = parseFoghornConfig({}, undefined, { extensions: ruleLanguage });
  const compiled = compileSources([{ file: 'hours-reply.yaml', text: RULE }], config, { extensions: ruleLanguage });
  const rules = createRuleSet(compiled.rules, compiled.config, compiled.text);
  const counted = {
    evaluations: 0,
    ruleIds: rules.ruleIds,
    evaluate: (...args: Parameters<RuleSet['evaluate']>) => {
      counted.evaluations++;
      return rules.evaluate(...args);
    },
  };
  return counted;
}

/** An actions queue whose first send fails, as SQS does now and then; later sends are kept. */
function queueFailingFirstSend(): CommandQueue & { sent: ActionCommand[][] } {
  let sends = 0;
  const queue = {
    sent: [] as ActionCommand[][],
    send: async (commands: readonly ActionCommand[]) => {
      if (++sends === 1) throw new Error('actions queue unavailable');
      queue.sent.push([...commands]);
    },
  };
  return queue;
}

describe('evaluateEvent', () => {
  const dynamo = useEmbeddedDynamo();

  it('evaluates the rule set once when the queue fails the first send; the retry re-sends the stored commands', async () => {
    // Prepare: real decision store and limits over dynalite; the limit items each write touches are counted.
    const ruleSet = countingRuleSet();
    const queue = queueFailingFirstSend();
    const calls = countDynamoCalls(dynamo.current.client);
    const limitItems = () => calls.calls.flatMap((call) => call.keys).filter((key) => key.startsWith('LIMIT#')).length;
    const deps = {
      ruleSet: () => ruleSet,
      state: new DynamoRuleState(dynamo.current),
      decisions: new DynamoDecisionStore(dynamo.current),
      queue,
      clock: { now: () => new Date('2026-11-22T10:00:05.000Z') },
    };
    const event = makeEvent({ id: 'generic:stored-decision-1', text: 'what are your opening hours?' });

    // Act: the first evaluation fails at the queue (the message is retried), the second succeeds.
    await expect(evaluateEvent(event, deps)).rejects.toThrow('actions queue unavailable');
    const spentByTheDecision = limitItems();
    const commands = await evaluateEvent(event, deps);
    calls.stop();

    // Assess
    expect(ruleSet.evaluations).toBe(1);
    // The limits (per author, the reply cap) are spent by the one decision, in its write, not again by the retry.
    expect(spentByTheDecision).toBe(2);
    expect(limitItems()).toBe(spentByTheDecision);
    expect(commands.map((command) => [command.type, command.ruleId, command.params.text])).toEqual([
      ['reply', 'hours-reply', 'We are open 9-18.'],
    ]);
    expect(queue.sent).toEqual([commands]);
  });

  it('reads no decision on a first receive; a race on one keeps the first decision and re-sends its commands', async () => {
    const ruleSet = countingRuleSet();
    const sent: ActionCommand[][] = [];
    const decisions = new DynamoDecisionStore(dynamo.current);
    let reads = 0;
    const deps = {
      ruleSet: () => ruleSet,
      state: new DynamoRuleState(dynamo.current),
      decisions: {
        get: (eventId: string) => {
          reads++;
          return decisions.get(eventId);
        },
        putIfAbsent: decisions.putIfAbsent.bind(decisions),
      },
      queue: { send: async (commands: readonly ActionCommand[]) => void sent.push([...commands]) },
      clock: { now: () => new Date('2026-11-22T10:00:05.000Z') },
    };
    const event = makeEvent({ id: 'generic:first-receive-1', text: 'opening hours, please', author: { id: 'u-first' } });
    const first = await evaluateEvent(event, deps, { firstReceive: true });
    const raced = await evaluateEvent({ ...event, text: 'no longer about opening hours' }, deps, { firstReceive: true });
    expect(reads).toBe(0);
    expect(raced).toEqual(first);
    expect(sent).toEqual([first, first]);
  });

  it('reads the decision on a redelivery and spends nothing again', async () => {
    const ruleSet = countingRuleSet();
    const sent: ActionCommand[][] = [];
    const deps = {
      ruleSet: () => ruleSet,
      state: new DynamoRuleState(dynamo.current),
      decisions: new DynamoDecisionStore(dynamo.current),
      queue: { send: async (commands: readonly ActionCommand[]) => void sent.push([...commands]) },
      clock: { now: () => new Date('2026-11-22T10:00:05.000Z') },
    };
    const event = makeEvent({ id: 'generic:redelivered-1', text: 'opening hours, please', author: { id: 'u-redelivered' } });
    const first = await evaluateEvent(event, deps, { firstReceive: true });
    expect(await evaluateEvent(event, deps, { firstReceive: false })).toEqual(first);
    expect(await evaluateEvent(event, deps)).toEqual(first);
    expect(ruleSet.evaluations).toBe(1);
    expect(sent).toEqual([first, first, first]);
  });

  it('sends nothing itself when the store queued the commands in the write that kept the decision (an outbox)', async () => {
    const ruleSet = countingRuleSet();
    const sent: ActionCommand[][] = [];
    const kept = new Map<string, StoredDecision>();
    const outbox: DecisionStore = {
      get: async (eventId) => {
        const decision = kept.get(eventId);
        return decision ? { ...decision, queued: true } : undefined;
      },
      putIfAbsent: async (decision) => {
        const created = !kept.has(decision.eventId);
        if (created) kept.set(decision.eventId, decision);
        return { decision: kept.get(decision.eventId) ?? decision, created, queued: true };
      },
    };
    const deps = {
      ruleSet: () => ruleSet,
      state: new DynamoRuleState(dynamo.current),
      decisions: outbox,
      queue: { send: async (commands: readonly ActionCommand[]) => void sent.push([...commands]) },
      clock: { now: () => new Date('2026-11-22T10:00:05.000Z') },
    };
    const event = makeEvent({ id: 'generic:outbox-1', text: 'opening hours, please', author: { id: 'u-outbox' } });
    const commands = await evaluateEvent(event, deps, { firstReceive: true });
    expect(commands).toHaveLength(1);
    expect(await evaluateEvent(event, deps, { firstReceive: false })).toEqual(commands);
    expect(sent).toEqual([]);
  });
});
