import { describe, expect, it } from 'vitest';
import { createEvaluateHandler } from '../../functions/app/evaluate-handler.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { RuleSet } from '../../functions/core/rule-set.js';
import { epochMinute } from '../../functions/crisis/minutes.js';
import { DynamoCounterStore } from '../../functions/storage/dynamo/counter-store.js';
import { DynamoDecisionStore } from '../../functions/storage/dynamo/decision-store.js';
import { HeldCounts } from '../../functions/storage/dynamo/held-counts.js';
import { DynamoRuleState } from '../../functions/storage/dynamo/rule-state.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { countDynamoCalls } from '../support/dynamo-calls.js';
import { makeEvent } from '../support/events.js';
import { sqsBatch } from '../support/sqs.js';

const NOW = new Date('2026-11-22T10:00:30.000Z');
const KEY = 'spike:evaluate-handler';

describe('the evaluate handler', () => {
  const dynamo = useEmbeddedDynamo();

  it("writes the batch's held counts once it is done, one ADD for the batch, with a failed record in it", async () => {
    const table = { client: dynamo.current.client, tableName: dynamo.current.tableName };
    const held = new HeldCounts();
    const counters = new DynamoCounterStore({ ...table, held });
    // A rule set that counts every event, as a volume rule does, and decides nothing else.
    const ruleSet: RuleSet = {
      ruleIds: ['counting'],
      evaluate: async (event) => {
        await counters.increment(KEY, NOW, 600_000);
        return { eventId: event.id, rules: [], actions: [] };
      },
    };
    const sent: Array<readonly ActionCommand[]> = [];
    const errors: string[] = [];
    const handler = createEvaluateHandler(
      {
        ruleSet: () => ruleSet,
        state: new DynamoRuleState(table),
        decisions: new DynamoDecisionStore({ ...table, held }),
        queue: { send: async (commands) => void sent.push(commands) },
        clock: { now: () => NOW },
      },
      (_error, messageId) => errors.push(messageId),
    );
    const calls = countDynamoCalls(dynamo.current.client);
    try {
      const envelope = (id: string) => JSON.stringify({ detail: makeEvent({ id, text: 'outage' }) });
      const answer = await handler(
        sqsBatch([envelope('generic:eh-1'), '{"detail": {"id": 42}}', envelope('generic:eh-2'), envelope('generic:eh-3')], {
          queue: 'events',
        }),
      );

      expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
      expect(errors).toEqual(['m-1']);
      expect(held.held).toEqual([]);
      const minute = epochMinute(NOW);
      expect((await new DynamoCounterStore(table).buckets(KEY, minute, minute, NOW)).get(minute)).toBe(3);
      expect(
        calls.calls.filter((call) => call.command === 'UpdateItemCommand' && call.keys[0]?.startsWith(`COUNTER#${KEY}#`)),
      ).toHaveLength(1);
    } finally {
      calls.stop();
    }
  });
});
