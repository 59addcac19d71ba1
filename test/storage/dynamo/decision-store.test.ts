import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { StoredDecision } from '../../../functions/core/ports.js';
import type { RuleState } from '../../../functions/core/rule-set.js';
import { epochMinute } from '../../../functions/crisis/minutes.js';
import { DynamoCounterStore } from '../../../functions/storage/dynamo/counter-store.js';
import { DynamoDecisionStore } from '../../../functions/storage/dynamo/decision-store.js';
import { DynamoRuleState, fixedWindowSpend } from '../../../functions/storage/dynamo/rule-state.js';
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

  describe("decideOnce: the limits a decision spends, in the decision's own write", () => {
    const now = new Date('2026-11-22T10:00:00.000Z');
    const HOUR = 3_600_000;
    const DAY = 24 * HOUR;
    /** A decision that acts only when it gets `key` (a sliding window under 9, a fixed one above). */
    const deciding =
      (eventId: string, key: string, limit: number, runs: string[] = []) =>
      async (state: RuleState): Promise<StoredDecision> => {
        runs.push(eventId);
        const allowed = await state.tryAcquire(key, limit, HOUR, now);
        return decision(eventId, allowed ? ['acted'] : []);
      };

    it('writes the decision and the limit items it spent in one transaction, reading nothing', async () => {
      const calls = countDynamoCalls(dynamo.current.client);
      const decisions = store();
      const kept = await decisions.decideOnce('generic:s1', async (state) => {
        expect(await state.tryAcquire('author:a1:replies', 5, HOUR, now)).toBe(true);
        expect(await state.tryAcquire('author:a1:replies', 5, HOUR, now)).toBe(true);
        expect(await state.tryAcquire('rule:r:minute', 20, HOUR, now)).toBe(true);
        return decision('generic:s1', ['acted']);
      });
      calls.stop();
      expect(kept).toEqual({ decision: decision('generic:s1', ['acted']), created: true, queued: false });
      expect(calls.calls).toEqual([
        {
          command: 'TransactWriteItemsCommand',
          keys: ['DECISION#generic:s1', 'LIMIT#author:a1:replies', 'LIMIT#rule:r:minute'],
          items: ['Put DECISION#generic:s1', 'Put LIMIT#author:a1:replies', 'Update LIMIT#rule:r:minute'],
        },
      ]);
      // What landed is what the plain rule state sees: two of five in the sliding window, one of twenty in the fixed.
      const table = new DynamoRuleState(dynamo.current);
      expect(await table.peek('author:a1:replies', 5, HOUR, now)).toBe(2);
      expect(await table.peek('rule:r:minute', 20, HOUR, now)).toBe(1);
    });

    it('a decision that spent nothing is one conditional put', async () => {
      const calls = countDynamoCalls(dynamo.current.client);
      await store().decideOnce('generic:s2', async () => decision('generic:s2', []));
      calls.stop();
      expect(calls.names).toEqual(['PutItemCommand']);
    });

    it('a limit another container spent is learnt from the refusal, and the decision is made again on it', async () => {
      // Another container spends the only slot of the window; this one still guesses the limit untouched.
      await new DynamoRuleState(dynamo.current).tryAcquire('author:a3:replies', 1, HOUR, now);
      const runs: string[] = [];
      const calls = countDynamoCalls(dynamo.current.client);
      const kept = await store().decideOnce('generic:s3', deciding('generic:s3', 'author:a3:replies', 1, runs));
      calls.stop();
      expect(kept.decision.rules).toEqual([]);
      expect(runs).toEqual(['generic:s3', 'generic:s3']);
      // The refused transaction, then the decision alone: the refusal carried the item, so nothing was read.
      expect(calls.names).toEqual(['TransactWriteItemsCommand', 'PutItemCommand']);
    });

    it('a fixed window filled elsewhere refuses the spend, and the decision is made again without it', async () => {
      const other = new DynamoRuleState(dynamo.current);
      for (let i = 0; i < 10; i++) expect(await other.tryAcquire('rule:r4:minute', 10, HOUR, now)).toBe(true);
      const runs: string[] = [];
      const decisions = store();
      const kept = await decisions.decideOnce('generic:s4', deciding('generic:s4', 'rule:r4:minute', 10, runs));
      expect(kept.decision.rules).toEqual([]);
      expect(runs).toHaveLength(2);
      // The container now knows the window is full: the next decision is denied without a write for the limit.
      const calls = countDynamoCalls(dynamo.current.client);
      expect((await decisions.decideOnce('generic:s4b', deciding('generic:s4b', 'rule:r4:minute', 10))).decision.rules).toEqual([]);
      calls.stop();
      expect(calls.names).toEqual(['PutItemCommand']);
    });

    it('a per-minute ceiling spread over items: a share filled elsewhere is learnt, the spend goes to another, and the ceiling is exact', async () => {
      // 128 a minute: two items of 64. Another container fills the first one.
      await dynamo.current.client.send(
        new UpdateItemCommand(fixedWindowSpend(dynamo.current.tableName, 'rule:r8:minute', 64, 128, 60_000, now, 0)),
      );
      const decisions = store();
      const minute = (eventId: string) => async (state: RuleState) =>
        decision(eventId, (await state.tryAcquire('rule:r8:minute', 128, 60_000, now)) ? ['acted'] : []);
      expect((await decisions.decideOnce('generic:s8', minute('generic:s8'))).decision.rules).toEqual(['acted']);
      const table = new DynamoRuleState(dynamo.current);
      expect(await table.peek('rule:r8:minute', 128, 60_000, now)).toBe(65);
      // The rest of the second item, then one more: refused only now that every share is spent.
      for (let i = 0; i < 63; i++)
        expect((await decisions.decideOnce(`generic:s8-${i}`, minute(`generic:s8-${i}`))).decision.rules).toEqual(['acted']);
      expect(await table.peek('rule:r8:minute', 128, 60_000, now)).toBe(128);
      expect((await decisions.decideOnce('generic:s8-last', minute('generic:s8-last'))).decision.rules).toEqual([]);
      expect((await store().decideOnce('generic:s8-other', minute('generic:s8-other'))).decision.rules).toEqual([]);
      expect(await table.peek('rule:r8:minute', 128, 60_000, now)).toBe(128);
    });

    it('a decision made again after a lost limit race counts its event once, and only once the decision lands', async () => {
      await new DynamoRuleState(dynamo.current).tryAcquire('author:a9:replies', 1, HOUR, now);
      const counters = new DynamoCounterStore(dynamo.current);
      const minute = epochMinute(now);
      const runs: number[] = [];
      const kept = await store().decideOnce('generic:s9', async (state) => {
        await counters.increment('spike:r9', now, HOUR);
        runs.push((await counters.buckets('spike:r9', minute, minute, now)).get(minute) ?? 0);
        return decision('generic:s9', (await state.tryAcquire('author:a9:replies', 1, HOUR, now)) ? ['acted'] : []);
      });
      expect(kept).toMatchObject({ created: true, decision: { rules: [] } });
      // Each run saw its own count of one; the table holds one.
      expect(runs).toEqual([1, 1]);
      expect((await counters.buckets('spike:r9', minute, minute, now)).get(minute)).toBe(1);
    });

    it("a breaker's check is read at most once a second per container, and a trip this container made holds at once", async () => {
      const peeking = (eventId: string, at: Date, seen: number[]) => async (state: RuleState) => {
        seen.push((await state.peek?.('rule:b10:breaker', 1, HOUR, at)) ?? -1);
        return decision(eventId, []);
      };
      const seen: number[] = [];
      const decisions = store();
      const calls = countDynamoCalls(dynamo.current.client);
      await decisions.decideOnce('generic:s10a', peeking('generic:s10a', now, seen));
      await decisions.decideOnce('generic:s10b', peeking('generic:s10b', new Date(now.getTime() + 999), seen));
      calls.stop();
      expect(calls.reads()).toEqual(['GetItemCommand']);
      // Tripped elsewhere: seen here once this container's read is a second old.
      expect(await new DynamoRuleState(dynamo.current).tryAcquire('rule:b10:breaker', 1, HOUR, now)).toBe(true);
      await decisions.decideOnce('generic:s10c', peeking('generic:s10c', new Date(now.getTime() + 500), seen));
      await decisions.decideOnce('generic:s10d', peeking('generic:s10d', new Date(now.getTime() + 1_000), seen));
      expect(seen).toEqual([0, 0, 0, 1]);

      // A container that trips a breaker itself knows it without reading.
      const tripping = store();
      await tripping.decideOnce('generic:s10e', async (state) => {
        expect(await state.tryAcquire('rule:b11:breaker', 1, HOUR, now)).toBe(true);
        return decision('generic:s10e', []);
      });
      const after = countDynamoCalls(dynamo.current.client);
      const own: number[] = [];
      await tripping.decideOnce('generic:s10f', async (state) => {
        own.push((await state.peek?.('rule:b11:breaker', 1, HOUR, now)) ?? -1);
        return decision('generic:s10f', []);
      });
      after.stop();
      expect(own).toEqual([1]);
      expect(after.reads()).toEqual([]);
    });

    it('the same container spends from what it wrote: the second decision is refused the limit without a race', async () => {
      const decisions = store();
      const runs: string[] = [];
      expect((await decisions.decideOnce('generic:s5', deciding('generic:s5', 'author:a5:replies', 1, runs))).decision.rules).toEqual([
        'acted',
      ]);
      expect((await decisions.decideOnce('generic:s5b', deciding('generic:s5b', 'author:a5:replies', 1, runs))).decision.rules).toEqual([]);
      expect(runs).toEqual(['generic:s5', 'generic:s5b']);
    });

    it('a decision already kept wins: its limits are not spent, and the earlier decision comes back', async () => {
      await store().putIfAbsent(decision('generic:s6', ['first']));
      const kept = await store().decideOnce('generic:s6', deciding('generic:s6', 'author:a6:replies', 1));
      expect(kept).toEqual({ decision: decision('generic:s6', ['first']), created: false, queued: false });
      expect(await new DynamoRuleState(dynamo.current).peek('author:a6:replies', 1, HOUR, now)).toBe(0);
    });

    it('concurrent containers never spend a limit past its count', async () => {
      const containers = Array.from({ length: 6 }, () => store());
      const kept = await Promise.all(
        containers.map((decisions, i) => decisions.decideOnce(`generic:s7-${i}`, deciding(`generic:s7-${i}`, 'author:a7:replies', 3))),
      );
      expect(kept.filter((answer) => answer.decision.rules.includes('acted'))).toHaveLength(3);
      expect(await new DynamoRuleState(dynamo.current).peek('author:a7:replies', 3, HOUR, now)).toBe(3);
    });

    /** Fails the next TransactWriteItems once: before it reaches the table, or after it landed (its answer lost). */
    const failNextTransaction = (when: 'before' | 'after') => {
      const name = `fail-${when}-${Math.random().toString(36).slice(2)}`;
      dynamo.current.client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
          dynamo.current.client.middlewareStack.remove(name);
          if (when === 'before') throw Object.assign(new Error('injected throttle'), { name: 'ThrottlingException' });
          await next(args);
          throw Object.assign(new Error('injected: the answer was lost'), { name: 'TimeoutError' });
        },
        { step: 'initialize', name },
      );
    };
    // Every counter the rules spend (the reply cap, a per-author window, the per-minute ceiling and its breaker).
    const spendAll = (author: string) => async (state: RuleState) => {
      expect(await state.tryAcquire(`author:${author}:replies`, 5, HOUR, now)).toBe(true);
      expect(await state.tryAcquire(`rule:r:author:${author}`, 1, DAY, now)).toBe(true);
      expect(await state.tryAcquire(`rule:r:minute:${author}`, 20, 60_000, now)).toBe(true);
      expect(await state.tryAcquire(`rule:r:breaker:${author}`, 1, HOUR, now)).toBe(true);
      return decision(`generic:${author}`, ['acted']);
    };
    const spent = async (author: string) => {
      const table = new DynamoRuleState(dynamo.current);
      return [
        await table.peek(`author:${author}:replies`, 5, HOUR, now),
        await table.peek(`rule:r:author:${author}`, 1, DAY, now),
        await table.peek(`rule:r:minute:${author}`, 20, 60_000, now),
        await table.peek(`rule:r:breaker:${author}`, 1, HOUR, now),
      ];
    };

    it('an evaluation retried after its write failed spends each counter once: nothing was spent before the decision', async () => {
      failNextTransaction('before');
      await expect(store().decideOnce('generic:retry-before', spendAll('retry-before'))).rejects.toThrow(/injected throttle/);
      expect(await spent('retry-before')).toEqual([0, 0, 0, 0]);
      // The redelivery, in another container (a fresh store: nothing known) as SQS may send it.
      const kept = await store().decideOnce('generic:retry-before', spendAll('retry-before'));
      expect(kept.created).toBe(true);
      expect(await spent('retry-before')).toEqual([1, 1, 1, 1]);
    });

    it('an evaluation retried after its write landed (the answer lost) spends nothing again and gets the decision back', async () => {
      const decisions = store();
      failNextTransaction('after');
      await expect(decisions.decideOnce('generic:retry-after', spendAll('retry-after'))).rejects.toThrow(/answer was lost/);
      expect(await spent('retry-after')).toEqual([1, 1, 1, 1]);
      for (const retry of [decisions, store()]) {
        const kept = await retry.decideOnce('generic:retry-after', async (state) => {
          // Decided again on whatever the store knows; only the kept decision's spends stand.
          await state.tryAcquire('author:retry-after:replies', 5, HOUR, now);
          return decision('generic:retry-after', ['again']);
        });
        expect(kept).toMatchObject({ created: false, decision: { rules: ['acted'] } });
      }
      expect(await spent('retry-after')).toEqual([1, 1, 1, 1]);
    });
  });
});
