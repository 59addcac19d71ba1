import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/event.js';
import type { EvaluationContext, RuleSet } from '../../functions/core/rule-set.js';
import { withCrisis } from '../../functions/crisis/crisis-rule-set.js';
import { switchCrisisMode } from '../../functions/crisis/crisis-switch.js';
import {
  memoryAuditLog,
  memoryCounterStore,
  memoryCrisisStore,
  memoryEpisodeStore,
  memoryTimerStore,
} from '../../functions/crisis/memory/index.js';
import { crisisRuleOptions } from '../../functions/crisis/rule-options.js';
import { sweepSlaTimers } from '../../functions/crisis/sla-timer.js';
import { memoryRuleState } from '../../functions/rules/memory-rule-state.js';
import { makeEvent } from '../support/events.js';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** Stands in for the rules: `outage` fires on text "down", `vip-sla` on every message, `faq` on "hours". */
const base: RuleSet & { contexts: EvaluationContext[] } = {
  ruleIds: ['outage', 'vip-sla', 'faq'],
  contexts: [],
  async evaluate(event, context) {
    this.contexts.push(context);
    const actions = [];
    if (event.kind === 'message' && !event.author.isSelf) {
      if (event.text.includes('down'))
        actions.push({ type: 'escalate', ruleId: 'outage', index: 0, params: { target: 'oncall', summary: 'outage' } });
      actions.push({ type: 'escalate', ruleId: 'vip-sla', index: 0, params: { target: 'team', summary: 'waiting' } });
      if (event.text.includes('hours')) actions.push({ type: 'reply', ruleId: 'faq', index: 0, params: { text: '9-18' } });
    }
    return { eventId: event.id, rules: [...new Set(actions.map((action) => action.ruleId))], actions };
  },
};

function setup() {
  const deps = {
    counters: memoryCounterStore(),
    episodes: memoryEpisodeStore(),
    timers: memoryTimerStore(),
    crisis: memoryCrisisStore(),
    audit: memoryAuditLog(),
  };
  const options = crisisRuleOptions([
    { id: 'outage', spec: { volume: { atLeast: 30, within: '10m', quiet: '15m' } } },
    { id: 'vip-sla', spec: { after: '10m' } },
    { id: 'faq', spec: { crisisReply: true } },
  ]);
  const ruleSet = withCrisis(base, () => options, deps);
  const evaluate = (event: CanonicalEvent, now: Date) => ruleSet.evaluate(event, { now, state: memoryRuleState() });
  return { deps, ruleSet, evaluate };
}

describe('withCrisis', () => {
  it('30 outage reports in 10 minutes escalate once, with the incident key', async () => {
    const { evaluate } = setup();
    const escalations = [];
    for (let i = 0; i < 45; i++) {
      const decision = await evaluate(
        makeEvent({ id: `generic:${i}`, text: 'the app is down', createdAt: at(i * 10).toISOString() }),
        at(i * 10),
      );
      escalations.push(...decision.actions.filter((action) => action.ruleId === 'outage'));
    }
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.params.incident).toMatch(/^spike:outage:/);
    expect(escalations[0]!.params.count).toBe(30);
  });

  it('a volume rule counts events whose actions a limit held back', async () => {
    const deps = {
      counters: memoryCounterStore(),
      episodes: memoryEpisodeStore(),
      timers: memoryTimerStore(),
      crisis: memoryCrisisStore(),
      audit: memoryAuditLog(),
    };
    // The rules say the conditions held but (a limit) planned no action.
    const limited: RuleSet = { ruleIds: ['outage'], evaluate: async (event) => ({ eventId: event.id, rules: ['outage'], actions: [] }) };
    const options = crisisRuleOptions([{ id: 'outage', spec: { volume: { atLeast: 3, within: '10m' } } }]);
    const ruleSet = withCrisis(limited, () => options, deps);
    for (let i = 0; i < 3; i++) await ruleSet.evaluate(makeEvent({ id: `generic:${i}` }), { now: at(i), state: memoryRuleState() });
    expect(await deps.episodes.current('outage')).toMatchObject({ status: 'open', count: 3 });
  });

  it('an after rule waits; the breach event of its timer brings its actions back', async () => {
    const { deps, evaluate } = setup();
    const message = makeEvent({ id: 'generic:m1', text: 'hello', thread: { id: 't1' }, createdAt: at(0).toISOString() });
    expect((await evaluate(message, at(0))).actions).toEqual([]);
    const emitted: CanonicalEvent[] = [];
    await sweepSlaTimers(
      {
        timers: deps.timers,
        audit: deps.audit,
        emit: async (event) => {
          emitted.push(event);
        },
      },
      at(600),
    );
    expect(emitted).toHaveLength(1);
    const decision = await evaluate(emitted[0]!, at(600));
    expect(decision.actions).toEqual([
      expect.objectContaining({
        ruleId: 'vip-sla',
        type: 'escalate',
        params: expect.objectContaining({ target: 'team', incident: expect.stringMatching(/^sla:/) }),
      }),
    ]);
  });

  it('an own answer in the thread stops the timer', async () => {
    const { deps, evaluate } = setup();
    await evaluate(makeEvent({ id: 'generic:m1', text: 'hello', thread: { id: 't1' }, createdAt: at(0).toISOString() }), at(0));
    await evaluate(
      makeEvent({
        id: 'generic:a1',
        text: 'on it',
        thread: { id: 't1' },
        author: { id: 'agent', isSelf: true },
        createdAt: at(300).toISOString(),
      }),
      at(300),
    );
    const emitted: CanonicalEvent[] = [];
    await sweepSlaTimers(
      {
        timers: deps.timers,
        audit: deps.audit,
        emit: async (event) => {
          emitted.push(event);
        },
      },
      at(1200),
    );
    expect(emitted).toEqual([]);
  });

  it('passes crisisMode to the rules and marks crisis replies', async () => {
    const { deps, evaluate } = setup();
    await switchCrisisMode(deps.crisis, deps.audit, { on: true, who: 'maya', why: 'outage' }, at(0));
    base.contexts.length = 0;
    const decision = await evaluate(makeEvent({ text: 'opening hours?' }), at(0));
    expect(base.contexts[0]).toMatchObject({ crisisMode: true });
    expect(decision.actions.find((action) => action.ruleId === 'faq')?.params.crisisReply).toBe(true);
  });

  it('rejects bad rule options with the rule and the key', () => {
    expect(() => crisisRuleOptions([{ id: 'r', spec: { volume: { within: '10m' } } }])).toThrow(
      /rule r: volume: give atLeast, baseline, or both/,
    );
    expect(() => crisisRuleOptions([{ id: 'r', spec: { after: 'soon' } }])).toThrow(/rule r: after/);
    expect(() => crisisRuleOptions([{ id: 'r', spec: { volume: { atLeast: 3, within: '90s' } } }])).toThrow(/whole minutes/);
  });
});
