import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { type CanonicalEvent, EVENT_KINDS } from '../../functions/core/event.js';
import { createRuleSet } from '../../functions/rules/create-rule-set.js';
import { COMPUTED_FACTS } from '../../functions/rules/facts.js';
import { compileSources, memoryRuleState, readRuleSourcesSync, resolveConfig } from '../../functions/rules/index.js';
import { ASYNC_COMPUTED_FACTS, SYNC_COMPUTED_FACTS } from '../../functions/rules/rules-matcher.js';

/**
 * The rules module's RuleSet decides with the compiled matcher, and with json-rules-engine when asked
 * to explain: on the starter rules and generated multilingual events, both must hold the same rules
 * and plan the same actions.
 */
const compiled = compileSources(readRuleSourcesSync('rules'), resolveConfig('rules', { extensions: ruleLanguage }), {
  extensions: ruleLanguage,
});
const ruleSet = createRuleSet(compiled.rules, compiled.config, compiled.text);

/** Every phrase the starter rules watch for, so generated posts hit them often. */
function phrasesOf(condition: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(condition)) for (const child of condition) phrasesOf(child, into);
  else if (condition !== null && typeof condition === 'object') {
    const node = condition as Record<string, unknown>;
    const source = compiled.text.sourceOf(node.value);
    if (source !== node.value && Array.isArray(source)) for (const phrase of source) into.add(String(phrase));
    for (const key of ['all', 'any', 'not']) if (key in node) phrasesOf(node[key], into);
  }
  return into;
}
const PHRASES = [...compiled.rules.reduce((all, rule) => phrasesOf(rule.conditions, all), new Set<string>())];
const FILLER = ['hi', 'please', 'سلام', 'لطفا', 'مرحبا', 'שלום', 'привет', 'habari', 'my', 'order', 'twice', 'charged', '!', '؟', '😀'];

const event = fc
  .record({
    words: fc.array(fc.oneof(fc.constantFrom(...PHRASES), fc.constantFrom(...FILLER)), { maxLength: 10 }),
    kind: fc.constantFrom(...EVENT_KINDS),
    platform: fc.constantFrom('telegram', 'x', 'generic'),
    followers: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined }),
    verified: fc.option(fc.boolean(), { nil: undefined }),
    lang: fc.option(fc.constantFrom('en', 'fa', 'ar', 'he', 'ru', 'sw'), { nil: undefined }),
    hour: fc.integer({ min: 0, max: 23 }),
  })
  .map(({ words, kind, platform, followers, verified, lang, hour }): { event: CanonicalEvent; now: Date } => {
    const now = new Date(Date.UTC(2026, 0, 7, hour, 30));
    return {
      now,
      event: {
        id: `${platform}:1`,
        platform,
        kind,
        text: words.join(' '),
        ...(lang === undefined ? {} : { lang }),
        author: {
          id: 'a1',
          name: 'Ada',
          ...(followers === undefined ? {} : { followers }),
          ...(verified === undefined ? {} : { verified }),
        },
        channel: { id: 'c1' },
        thread: {},
        createdAt: now.toISOString(),
        receivedAt: now.toISOString(),
      },
    };
  });

describe('the rules module on the compiled matcher', () => {
  it('knows, for every computed fact, whether it is read synchronously or awaited', () => {
    expect([...SYNC_COMPUTED_FACTS, ...ASYNC_COMPUTED_FACTS].sort()).toEqual(Object.keys(COMPUTED_FACTS).sort());
  });

  it('holds the same rules and plans the same actions as json-rules-engine (explain mode)', async () => {
    expect(compiled.problems).toEqual([]);
    let held = 0;
    await fc.assert(
      fc.asyncProperty(event, async ({ event: generated, now }) => {
        const compiledPath = await ruleSet.evaluate(generated, { now, state: memoryRuleState() });
        const enginePath = await ruleSet.evaluate(generated, { now, state: memoryRuleState(), explain: true });
        expect(compiledPath.rules).toEqual(enginePath.rules);
        expect(compiledPath.actions).toEqual(enginePath.actions);
        held += compiledPath.rules.length;
      }),
      { numRuns: 300 },
    );
    expect(held).toBeGreaterThan(100);
  });
});
