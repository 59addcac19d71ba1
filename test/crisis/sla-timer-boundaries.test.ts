import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/event.js';
import type { RuleSet } from '../../functions/core/rule-set.js';
import { withCrisis } from '../../functions/crisis/crisis-rule-set.js';
import {
  memoryAuditLog,
  memoryCounterStore,
  memoryCrisisStore,
  memoryEpisodeStore,
  memoryTimerStore,
} from '../../functions/crisis/memory/index.js';
import type { TimerStore } from '../../functions/crisis/ports.js';
import { crisisRuleOptions } from '../../functions/crisis/rule-options.js';
import { answerTimersFor, slaTimerId, startSlaTimer, sweepSlaTimers } from '../../functions/crisis/sla-timer.js';
import { memoryRuleState } from '../../functions/rules/memory-rule-state.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../functions/storage/dynamo/embedded.js';
import { DynamoTimerStore } from '../../functions/storage/dynamo/timer-store.js';
import { makeEvent } from '../support/events.js';

const at = (iso: string) => new Date(`2026-11-22T${iso}.000Z`);
const escalate = { type: 'escalate', ruleId: 'vip-sla', index: 0, params: { target: 'team', summary: 'unanswered' } };

function customerMessage(createdAt: string): CanonicalEvent {
  return makeEvent({
    id: 'slack:1700.1',
    platform: 'slack',
    kind: 'message',
    channel: { id: 'C1' },
    thread: { id: '1700.1' },
    author: { id: 'U-customer' },
    createdAt: at(createdAt).toISOString(),
  });
}

function agentAnswer(createdAt: string): CanonicalEvent {
  return makeEvent({
    id: 'slack:1700.5',
    platform: 'slack',
    kind: 'reply',
    channel: { id: 'C1' },
    thread: { id: '1700.1', replyToId: '1700.1' },
    author: { id: 'U-agent', isSelf: true },
    createdAt: at(createdAt).toISOString(),
  });
}

const opened: EmbeddedDynamo[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((dynamo) => dynamo.stop()));
});

// Each case gets its own store: the sweep's progress is one item per table.
const stores: Array<[string, () => Promise<TimerStore>]> = [
  ['memory', async () => memoryTimerStore()],
  [
    'dynamo',
    async () => {
      const dynamo = await startEmbeddedDynamo({ tableName: `sla-${randomUUID().slice(0, 8)}` });
      opened.push(dynamo);
      return new DynamoTimerStore(dynamo);
    },
  ],
];

describe.each(stores)('SLA timers at their edges (%s store)', (_name, makeStore) => {
  it('a 10-minute timer for a 10:00:30 message does not breach at 10:10:00, and breaches once at 10:11', async () => {
    const timers = await makeStore();
    const emitted: CanonicalEvent[] = [];
    const deps = { timers, audit: memoryAuditLog(), emit: async (event: CanonicalEvent) => void emitted.push(event) };
    await sweepSlaTimers(deps, at('10:00:00'));
    await startSlaTimer(
      timers,
      { ruleId: 'vip-sla', after: '10m', afterMs: 600_000, event: customerMessage('10:00:30'), actions: [escalate] },
      at('10:00:31'),
    );

    const firedAt: string[] = [];
    for (let minute = 1; minute <= 15; minute++) {
      const now = at(`10:${String(minute).padStart(2, '0')}:00`);
      if ((await sweepSlaTimers(deps, now)).fired.length > 0) firedAt.push(now.toISOString().slice(11, 19));
    }

    expect(firedAt).toEqual(['10:11:00']);
    expect(emitted.map((event) => event.createdAt)).toEqual(['2026-11-22T10:10:30.000Z']);
  });

  it('an answer written before the message does not stop its timer', async () => {
    const timers = await makeStore();
    const message = customerMessage('10:05:00');
    await startSlaTimer(timers, { ruleId: 'vip-sla', after: '10m', afterMs: 600_000, event: message, actions: [] }, at('10:05:01'));

    const stopped = await answerTimersFor(timers, agentAnswer('10:04:00'), at('10:04:00'));

    expect(stopped).toEqual([]);
    expect((await timers.get(slaTimerId(message.id, 'vip-sla')))?.status).toBe('pending');
  });

  it('an own answer the rules see after the message, but written before it, leaves the timer to breach', async () => {
    // Prepare: the rules decide `vip-sla` for every customer message; the crisis layer turns that into a timer.
    const timers = await makeStore();
    const base: RuleSet = {
      ruleIds: ['vip-sla'],
      async evaluate(event) {
        const actions = event.author.isSelf ? [] : [escalate];
        return { eventId: event.id, rules: actions.length > 0 ? ['vip-sla'] : [], actions };
      },
    };
    const deps = {
      counters: memoryCounterStore(),
      episodes: memoryEpisodeStore(),
      timers,
      crisis: memoryCrisisStore(),
      audit: memoryAuditLog(),
    };
    const options = crisisRuleOptions([{ id: 'vip-sla', spec: { after: '10m' } }]);
    const rules = withCrisis(base, () => options, deps);
    const message = customerMessage('10:05:00');

    // Act: the message, then an answer delivered late (10:06) that was written at 10:04.
    await rules.evaluate(message, { now: at('10:05:01'), state: memoryRuleState() });
    await rules.evaluate(agentAnswer('10:04:00'), { now: at('10:06:00'), state: memoryRuleState() });

    // Assess
    expect((await timers.get(slaTimerId(message.id, 'vip-sla')))?.status).toBe('pending');
    const emitted: CanonicalEvent[] = [];
    await sweepSlaTimers({ timers, audit: deps.audit, emit: async (event) => void emitted.push(event) }, at('10:15:00'));
    expect(emitted.map((event) => event.meta?.sla)).toEqual([expect.objectContaining({ eventId: message.id, rule: 'vip-sla' })]);
  });
});
