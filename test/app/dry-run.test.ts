import { describe, expect, it } from 'vitest';
import { dryRun } from '../../functions/app/dry-run.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { compileSources, parseFoghornConfig } from '../../functions/rules/index.js';
import { makeEvent } from '../rules/support.js';

const RULES = `
- id: faq
  when: { all: [{ fact: text, operator: containsAny, value: ["price"] }] }
  then: [{ reply: { text: "Our prices: example.com/pricing" } }]
  limits: { perAuthor: 1/24h }
- id: refunds
  when: { all: [{ fact: text, operator: containsAny, value: ["money back"] }] }
  then: [{ reply: { text: "Ask for a refund at example.com/refund" } }]
- id: thread
  when: { all: [{ fact: text, operator: containsAny, value: ["thread"] }] }
  then: [{ tag: [thread] }]
  limits: { oncePerThread: true }
- id: unanswered
  when: { all: [{ fact: text, operator: containsAny, value: ["help"] }] }
  after: 10m
  then: [{ tag: [late] }]
- id: terms
  when: { all: [{ fact: text, operator: containsAny, value: ["terms"] }] }
  then: [{ reply: { text: "${'All terms apply. '.repeat(300)}" } }]
`;

const CONFIG = { crisis: { sensitiveTerms: ['refund'], doNotEngage: ['telegram:@press'] } };

function run() {
  const config = parseFoghornConfig(CONFIG, undefined, { extensions: ruleLanguage });
  const compiled = compileSources([{ file: 'rules.yaml', text: RULES }], config, { extensions: ruleLanguage });
  expect(compiled.problems).toEqual([]);
  return dryRun(compiled);
}

const AT = new Date('2026-01-05T10:00:00Z');
const telegram = (id: string, text: string, extra: Parameters<typeof makeEvent>[0] = {}) =>
  makeEvent({ id: `telegram:${id}`, platform: 'telegram', text, author: { id: `a-${id}` }, thread: { id: `t-${id}` }, ...extra });

describe('dryRun: every fate from the hold codes of the guards and limits', () => {
  it('holds by the outgoing guard and the length guard, naming what they found', async () => {
    const dry = run();
    const [term] = await dry.evaluate(telegram('1', 'money back please'), AT, false);
    expect(term!.actions[0]).toMatchObject({ fate: "held: sensitive term 'refund'" });
    const [press] = await dry.evaluate(telegram('2', 'price?', { author: { id: '9', handle: 'press' } }), AT, false);
    expect(press!.actions[0]).toMatchObject({ fate: 'held: do-not-engage telegram:@press' });
    const [long] = await dry.evaluate(telegram('3', 'terms?'), AT, false);
    expect(long!.actions[0]).toMatchObject({ fate: 'held: too long (5,100 characters; telegram allows 4,096)' });
  });

  it("keeps back what a limit or wait stops, with the code in the rule's explanation", async () => {
    const dry = run();
    await dry.evaluate(telegram('1', 'price?', { author: { id: 'sam' } }), AT, false);
    const [again] = await dry.evaluate(telegram('2', 'price??', { author: { id: 'sam' } }), AT, true);
    expect(again!.suppressed).toEqual([expect.objectContaining({ rule: 'faq', fate: 'suppressed: perAuthor' })]);
    expect(again!.explain?.find((entry) => entry.rule === 'faq')).toMatchObject({ outcome: 'held', code: 'perAuthor' });

    await dry.evaluate(telegram('3', 'thread', { thread: { id: 'same' } }), AT, false);
    const [thread] = await dry.evaluate(telegram('4', 'thread again', { thread: { id: 'same' } }), AT, true);
    expect(thread!.suppressed).toEqual([expect.objectContaining({ rule: 'thread', fate: 'suppressed: oncePerThread' })]);
    expect(thread!.explain?.find((entry) => entry.rule === 'thread')).toMatchObject({ code: 'oncePerThread' });

    const [own] = await dry.evaluate(telegram('5', 'price?', { author: { id: 'us', isSelf: true } }), AT, true);
    expect(own!.suppressed).toEqual([expect.objectContaining({ rule: 'faq', fate: 'suppressed: own account' })]);

    const [waiting] = await dry.evaluate(telegram('6', 'help'), AT, true);
    const dueAt = '2026-01-05T10:10:00.000Z';
    expect(waiting!.suppressed).toEqual([expect.objectContaining({ rule: 'unanswered', fate: 'waiting: after', dueAt })]);
    expect(waiting!.explain?.find((entry) => entry.rule === 'unanswered')).toMatchObject({ outcome: 'held', code: 'after', dueAt });
  });
});
