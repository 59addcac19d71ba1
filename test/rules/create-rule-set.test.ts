import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { loadRuleSet, memoryRuleState, type RuleSet } from '../../functions/rules/index.js';
import { makeEvent, ruleDir, testConfig } from './support.js';

const NOW = new Date('2026-01-05T10:00:00Z'); // a Monday
const MINUTE = 60_000;

async function rules(files: Record<string, string>, config = testConfig()): Promise<RuleSet> {
  return loadRuleSet(ruleDir(files), { extensions: ruleLanguage, config });
}

const textRule = (id: string, phrase: string, extra = '', then = '[{ tag: seen }]') =>
  `id: ${id}\n${extra}\nwhen: { all: [{ fact: text, operator: containsAny, value: ["${phrase}"] }] }\nthen: ${then}\n`;

describe('priorities and stop', () => {
  it('runs higher priority first and lets a stopping rule keep lower ones from acting', async () => {
    const set = await rules({
      'a.yaml': textRule('low-general', 'refund', 'priority: 1'),
      'b.yaml': textRule('high-specific', 'refund', 'priority: 50\nstop: true'),
      'c.yaml': textRule('same-priority', 'refund', 'priority: 50'),
    });
    const decision = await set.evaluate(makeEvent({ text: 'refund please' }), { now: NOW, state: memoryRuleState(), explain: true });
    expect(decision.rules).toEqual(['high-specific', 'same-priority']);
    expect(decision.actions.map((action) => action.ruleId)).toEqual(['high-specific', 'same-priority']);
    expect(decision.explanation?.find((entry) => entry.rule === 'low-general')).toMatchObject({ outcome: 'not-reached' });
  });

  it('without stop, every rule whose conditions hold acts, in priority order', async () => {
    const set = await rules({
      'a.yaml': textRule('first', 'refund', 'priority: 1'),
      'b.yaml': textRule('second', 'refund', 'priority: 9'),
    });
    const decision = await set.evaluate(makeEvent({ text: 'refund' }), { now: NOW, state: memoryRuleState() });
    expect(decision.rules).toEqual(['second', 'first']);
  });

  it('skips disabled rules', async () => {
    const set = await rules({ 'a.yaml': textRule('off', 'refund', 'enabled: false') });
    expect(set.ruleIds).toEqual([]);
  });
});

describe('limits', () => {
  it('perAuthor: one firing per author per window, other authors unaffected; the held rule is still listed', async () => {
    const set = await rules({ 'a.yaml': textRule('cooldown', 'hello', 'limits: { perAuthor: 1/24h }') });
    const state = memoryRuleState();
    const first = await set.evaluate(makeEvent({ text: 'hello', author: { id: 'a' } }), { now: NOW, state });
    const again = await set.evaluate(makeEvent({ text: 'hello', author: { id: 'a' } }), {
      now: new Date(NOW.getTime() + 23 * 3_600_000),
      state,
    });
    const other = await set.evaluate(makeEvent({ text: 'hello', author: { id: 'b' } }), { now: NOW, state });
    const nextDay = await set.evaluate(makeEvent({ text: 'hello', author: { id: 'a' } }), {
      now: new Date(NOW.getTime() + 24 * 3_600_000),
      state,
    });
    expect([first, again, other, nextDay].map((decision) => decision.actions.length)).toEqual([1, 0, 1, 1]);
    expect(again.rules).toEqual(['cooldown']);
  });

  it('oncePerThread: acts once per conversation thread', async () => {
    const set = await rules({ 'a.yaml': textRule('thread-once', 'hello', 'limits: { oncePerThread: true }') });
    const state = memoryRuleState();
    const inThread = (id: string, thread: string) => makeEvent({ id, text: 'hello', thread: { id: thread } });
    const results = [];
    for (const [id, thread] of [
      ['1', 't1'],
      ['2', 't1'],
      ['3', 't2'],
    ] as const) {
      results.push((await set.evaluate(inThread(id, thread), { now: NOW, state })).actions.length);
    }
    expect(results).toEqual([1, 0, 1]);
  });

  it('perMinute: above the ceiling the breaker trips, escalates once, and keeps the rule paused for the cooldown', async () => {
    const set = await rules({
      'a.yaml': textRule('flood', 'sale', 'limits: { perMinute: 3, escalateTo: comms }', '[{ reply: { text: "thanks" } }]'),
    });
    const state = memoryRuleState();
    const outcomes: string[] = [];
    for (let index = 0; index < 6; index++) {
      const decision = await set.evaluate(makeEvent({ id: `e${index}`, text: 'sale', author: { id: `a${index}` } }), { now: NOW, state });
      outcomes.push(decision.actions.map((action) => action.type).join('+') || 'none');
      if (index === 3) {
        expect(decision.actions[0]).toMatchObject({
          type: 'escalate',
          ruleId: 'flood',
          index: 1,
          params: { target: 'comms', severity: 'high', breaker: true },
        });
      }
    }
    expect(outcomes).toEqual(['reply', 'reply', 'reply', 'escalate', 'none', 'none']);
    // A minute later the ceiling has room again, but the breaker is still open.
    const later = await set.evaluate(makeEvent({ id: 'late', text: 'sale', author: { id: 'z' } }), {
      now: new Date(NOW.getTime() + 2 * MINUTE),
      state,
    });
    expect(later.actions).toEqual([]);
    // After the cooldown (10m in the test config) the rule acts again.
    const recovered = await set.evaluate(makeEvent({ id: 'rec', text: 'sale', author: { id: 'y' } }), {
      now: new Date(NOW.getTime() + 11 * MINUTE),
      state,
    });
    expect(recovered.actions.map((action) => action.type)).toEqual(['reply']);
  });

  it('caps automatic replies to one author per day across all rules, but not other actions', async () => {
    const set = await rules(
      {
        'a.yaml': textRule('r1', 'hi', '', '[{ reply: { text: one } }, { tag: t }]'),
        'b.yaml': textRule('r2', 'hi', '', '[{ reply: { text: two } }]'),
      },
      testConfig({ limits: { repliesPerAuthorPerDay: 3 } }),
    );
    const state = memoryRuleState();
    const types: string[][] = [];
    for (let index = 0; index < 3; index++) {
      const decision = await set.evaluate(makeEvent({ id: `m${index}`, text: 'hi', author: { id: 'chatty' } }), { now: NOW, state });
      types.push(decision.actions.map((action) => `${action.ruleId}:${action.type}`));
    }
    expect(types).toEqual([['r1:reply', 'r1:tag', 'r2:reply'], ['r1:reply', 'r1:tag'], ['r1:tag']]);
  });
});

describe('facts', () => {
  it('reads nested event fields by dotted name (VIP by followers or verified)', async () => {
    const set = await rules({
      'vip.yaml': `id: vip\nwhen:\n  any:\n    - { fact: author.followers, operator: greaterThanInclusive, value: 10000 }\n    - { fact: author.verified, operator: equal, value: true }\nthen: [{ tag: vip }]\n`,
    });
    const run = (author: object) => set.evaluate(makeEvent({ author: { id: 'x', ...author } }), { now: NOW, state: memoryRuleState() });
    expect((await run({ followers: 25_000 })).rules).toEqual(['vip']);
    expect((await run({ verified: true })).rules).toEqual(['vip']);
    expect((await run({ followers: 50 })).rules).toEqual([]);
    expect((await run({})).rules).toEqual([]);
  });

  it('computes local time facts from the configured zone, hours and holidays', async () => {
    const config = testConfig({ timezone: 'Asia/Tehran', businessHours: { mon: '09:00-17:00' }, holidays: ['2026-01-12'] });
    const set = await rules(
      {
        'closed.yaml': `id: closed\nwhen: { all: [{ fact: businessHours, operator: equal, value: false }] }\nthen: [{ tag: closed }]\n`,
        'hour.yaml': `id: hour-13\nwhen: { all: [{ fact: localHour, operator: equal, value: 13 }, { fact: weekday, operator: equal, value: mon }] }\nthen: [{ tag: h }]\n`,
      },
      config,
    );
    const at = (iso: string) => set.evaluate(makeEvent(), { now: new Date(iso), state: memoryRuleState() });
    // 10:00Z is 13:30 in Tehran (UTC+3:30), a Monday, open.
    expect((await at('2026-01-05T10:00:00Z')).rules).toEqual(['hour-13']);
    // 14:00Z is 17:30 local: closed.
    expect((await at('2026-01-05T14:00:00Z')).rules).toEqual(['closed']);
    // The next Monday is a holiday: closed at 13:30 (equal priorities run in file order).
    expect((await at('2026-01-12T10:00:00Z')).rules).toEqual(['closed', 'hour-13']);
  });

  it('opens overnight hours that cross midnight; the part after midnight belongs to the next day', async () => {
    const config = testConfig({ timezone: 'Asia/Tehran', businessHours: { mon: '22:00-02:00' }, holidays: ['2026-01-13'] });
    const set = await rules(
      {
        'open.yaml': `id: open\nwhen: { all: [{ fact: businessHours, operator: equal, value: true }] }\nthen: [{ tag: open }]\n`,
        'closed.yaml': `id: closed\nwhen: { all: [{ fact: businessHours, operator: equal, value: false }] }\nthen: [{ tag: closed }]\n`,
      },
      config,
    );
    const at = async (iso: string) => (await set.evaluate(makeEvent(), { now: new Date(iso), state: memoryRuleState() })).rules;
    // Tehran is UTC+3:30. Monday 21:59 local: not yet open.
    expect(await at('2026-01-05T18:29:00Z')).toEqual(['closed']);
    // Monday 22:00 and 23:00 local: open.
    expect(await at('2026-01-05T18:30:00Z')).toEqual(['open']);
    expect(await at('2026-01-05T19:30:00Z')).toEqual(['open']);
    // Tuesday 00:00 and 01:59 local (still Monday in UTC): Monday's range goes on after midnight.
    expect(await at('2026-01-05T20:30:00Z')).toEqual(['open']);
    expect(await at('2026-01-05T22:29:00Z')).toEqual(['open']);
    // Tuesday 02:00 local: closed.
    expect(await at('2026-01-05T22:30:00Z')).toEqual(['closed']);
    // Monday 01:00 local: Sunday has no range, so nothing carries into Monday morning.
    expect(await at('2026-01-04T21:30:00Z')).toEqual(['closed']);
    // The next Tuesday is a holiday: the part after midnight is Tuesday's, so it stays closed; Monday's part opens.
    expect(await at('2026-01-12T19:30:00Z')).toEqual(['open']);
    expect(await at('2026-01-12T21:30:00Z')).toEqual(['closed']);
  });

  it("uses the platform's language, else detects it, for the lang fact and the reply", async () => {
    const set = await rules({
      'fa.yaml': `id: persian\nwhen: { all: [{ fact: lang, operator: equal, value: fa }] }\nthen: [{ reply: { text: { fa: "سلام", default: hello } } }]\n`,
    });
    const detected = await set.evaluate(makeEvent({ text: 'سلام، چطور می‌توانم سفارشم را پیگیری کنم؟' }), {
      now: NOW,
      state: memoryRuleState(),
    });
    expect(detected.actions[0]?.params).toEqual({ lang: 'fa', text: 'سلام' });
    const declared = await set.evaluate(makeEvent({ text: 'hello there friend', lang: 'fa' }), { now: NOW, state: memoryRuleState() });
    expect(declared.rules).toEqual(['persian']);
  });

  it('matches free-form meta fields and uses regular expressions in RE2 syntax', async () => {
    const set = await rules({
      'order.yaml': `id: order-number\nwhen: { all: [{ fact: text, operator: matches, value: "order #?\\\\d{5}" }, { fact: meta.chatType, operator: equal, value: private }] }\nthen: [{ tag: order }]\n`,
    });
    const run = (text: string, meta: Record<string, unknown>) =>
      set.evaluate(makeEvent({ text, meta }), { now: NOW, state: memoryRuleState() });
    expect((await run('where is ORDER #۱۲۳۴۵', { chatType: 'private' })).rules).toEqual(['order-number']);
    expect((await run('where is order 123', { chatType: 'private' })).rules).toEqual([]);
    expect((await run('order 12345', { chatType: 'group' })).rules).toEqual([]);
  });
});

describe('actions', () => {
  it('renders post, tag, hold and escalate with their parameters', async () => {
    const set = await rules({
      'all.yaml': `id: everything
when: { all: [{ fact: text, operator: containsAll, value: [outage, down] }] }
then:
  - post: { channel: announcements, text: { en: "We know about the outage.", default: "Outage known." } }
  - tag: [incident, outage]
  - hold: { reason: "Apology needs approval", reply: { text: "Sorry {{author.name}}!" } }
  - escalate: { target: oncall, severity: critical, summary: "Outage report from @{{author.handle}} on {{platform}}: {{text}}" }
`,
    });
    const decision = await set.evaluate(
      makeEvent({ text: 'Outage? everything is down', lang: 'en', author: { id: '1', name: 'Ann', handle: 'ann' } }),
      { now: NOW, state: memoryRuleState() },
    );
    expect(decision.actions.map(({ type, index, params }) => ({ type, index, params }))).toEqual([
      { type: 'post', index: 0, params: { channel: 'announcements', lang: 'en', text: 'We know about the outage.' } },
      { type: 'tag', index: 1, params: { tags: ['incident', 'outage'] } },
      { type: 'hold', index: 2, params: { reason: 'Apology needs approval', action: { type: 'reply', lang: 'en', text: 'Sorry Ann!' } } },
      {
        type: 'escalate',
        index: 3,
        params: { target: 'oncall', severity: 'critical', summary: 'Outage report from @ann on test: Outage? everything is down' },
      },
    ]);
  });

  it('never runs placeholder content as code', async () => {
    const set = await rules({ 'a.yaml': textRule('echo', 'echo', '', '[{ reply: { text: "you said: {{text}}" } }]') });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the post tries template injection on purpose.
    const decision = await set.evaluate(makeEvent({ text: 'echo {{author.id}} ${process.exit()}' }), {
      now: NOW,
      state: memoryRuleState(),
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the reply must carry it as plain text.
    expect(decision.actions[0]?.params.text).toBe('you said: echo {{author.id}} ${process.exit()}');
  });
});

describe('bad input events', () => {
  it('evaluates empty, enormous and unknown-script text without error', async () => {
    const set = await rules({ 'a.yaml': textRule('r', 'refund', '', '[{ reply: { text: { fa: x, default: y } } }]') });
    const state = memoryRuleState();
    await expect(set.evaluate(makeEvent({ text: '' }), { now: NOW, state })).resolves.toMatchObject({ rules: [] });
    await expect(set.evaluate(makeEvent({ text: 'ሰላም ⵜⴰⵎⴰⵣⵉⵖⵜ 𓀀 refund' }), { now: NOW, state })).resolves.toMatchObject({ rules: ['r'] });
    const enormous = `${'word '.repeat(19_000)} refund`;
    await expect(set.evaluate(makeEvent({ text: enormous }), { now: NOW, state })).resolves.toMatchObject({ rules: [] });
  });
});

describe('explain', () => {
  it('gives each condition with its fact value and outcome, for rules that fired and rules that did not', async () => {
    const set = await rules({
      'a.yaml': `id: complaint\nwhen: { all: [{ fact: kind, operator: in, value: [message] }, { fact: text, operator: containsAny, value: [refund] }] }\nthen: [{ tag: c }]\n`,
    });
    const decision = await set.evaluate(makeEvent({ text: 'hello' }), { now: NOW, state: memoryRuleState(), explain: true });
    expect(decision.explanation).toEqual([
      {
        rule: 'complaint',
        outcome: 'no-match',
        conditions: {
          operator: 'all',
          result: false,
          conditions: [
            { operator: 'in', fact: 'kind', value: ['message'], factValue: 'message', result: true },
            { operator: 'containsAny', fact: 'text', value: ['refund'], factValue: 'hello', result: false },
          ],
        },
      },
    ]);
  });
});
