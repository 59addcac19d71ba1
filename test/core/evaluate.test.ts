import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { evaluateEvent } from '../../functions/core/evaluate.js';
import type { CommandQueue } from '../../functions/core/ports.js';
import type { RuleSet, RuleState } from '../../functions/core/rule-set.js';
import { compileSources, createRuleSet, parseFoghornConfig } from '../../functions/rules/index.js';
import { DynamoDecisionStore } from '../../functions/storage/dynamo/decision-store.js';
import { DynamoRuleState } from '../../functions/storage/dynamo/rule-state.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
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
    // Prepare: real decision store and limits over dynalite, with the limit spends counted.
    const ruleSet = countingRuleSet();
    const queue = queueFailingFirstSend();
    const limits = new DynamoRuleState(dynamo.current);
    let spends = 0;
    const state: RuleState = {
      tryAcquire: (...args) => {
        spends++;
        return limits.tryAcquire(...args);
      },
    };
    const deps = {
      ruleSet: () => ruleSet,
      state,
      decisions: new DynamoDecisionStore(dynamo.current),
      queue,
      clock: { now: () => new Date('2026-11-22T10:00:05.000Z') },
    };
    const event = makeEvent({ id: 'generic:stored-decision-1', text: 'what are your opening hours?' });

    // Act: the first evaluation fails at the queue (the message is retried), the second succeeds.
    await expect(evaluateEvent(event, deps)).rejects.toThrow('actions queue unavailable');
    const spentByTheDecision = spends;
    const commands = await evaluateEvent(event, deps);

    // Assess
    expect(ruleSet.evaluations).toBe(1);
    // The limits (per author, the rule's breaker) are spent by the one decision, not again by the retry.
    expect(spentByTheDecision).toBeGreaterThan(0);
    expect(spends).toBe(spentByTheDecision);
    expect(commands.map((command) => [command.type, command.ruleId, command.params.text])).toEqual([
      ['reply', 'hours-reply', 'We are open 9-18.'],
    ]);
    expect(queue.sent).toEqual([commands]);
  });
});
