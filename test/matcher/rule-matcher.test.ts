import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { MatcherCompileError, type MatcherRule, RuleMatcher, UndefinedFactError } from '../../functions/matcher/index.js';
import { TextConditions } from '../../functions/rules/operators.js';
import { textOperatorPlugin } from '../../functions/rules/text-operator-plugin.js';

const lenient = () => new Engine([], { allowUndefinedFacts: true });

describe('RuleMatcher', () => {
  it('lets through only the rules whose indexed condition the event meets', () => {
    const rules: MatcherRule[] = Array.from({ length: 1_000 }, (_, index) => ({
      id: `channel-${index}`,
      conditions: {
        all: [
          { fact: 'channel.id', operator: 'equal', value: `C${index}` },
          { fact: 'kind', operator: 'in', value: ['message', 'dm'] },
        ],
      },
    }));
    rules.push({ id: 'vip', conditions: { any: [{ fact: 'author.followers', operator: 'greaterThan', value: 10_000 }] } });
    const matcher = RuleMatcher.compile(rules, { createEngine: lenient });

    expect(matcher.candidates({ 'channel.id': 'C42', kind: 'message', 'author.followers': 5 })).toEqual(['channel-42', 'vip']);
    expect(matcher.matchSync({ 'channel.id': 'C42', kind: 'message', 'author.followers': 5 }).ruleIds).toEqual(['channel-42']);
    expect(matcher.matchSync({ 'channel.id': 'C42', kind: 'post', 'author.followers': 50_000 }).ruleIds).toEqual(['vip']);
  });

  it('finds phrases in any script through the index, as the rules module normalises them', () => {
    const text = new TextConditions();
    const options = { accents: 'ignore' as const, unifyTehMarbuta: false };
    const rules: MatcherRule[] = [
      {
        id: 'want',
        conditions: { all: [{ fact: 'text', operator: 'containsAny', value: text.register('containsAny', ['می‌خواهم'], options) }] },
      },
      {
        id: 'price',
        conditions: { all: [{ fact: 'text', operator: 'containsAny', value: text.register('containsAny', ['سعر'], options) }] },
      },
      {
        id: 'refund-and-order',
        conditions: { all: [{ fact: 'text', operator: 'containsAll', value: text.register('containsAll', ['refund', 'order'], options) }] },
      },
    ];
    const matcher = RuleMatcher.compile(rules, {
      createEngine: () => {
        const engine = lenient();
        text.install(engine);
        return engine;
      },
      plugins: [textOperatorPlugin(text)],
    });

    // The three spellings of "I want" are one; "calories" (سعرات) is not "price" (سعر).
    for (const spelling of ['من می خواهم', 'من میخواهم', 'من می‌خواهم']) {
      expect(matcher.matchSync({ text: spelling }).ruleIds).toEqual(['want']);
    }
    expect(matcher.matchSync({ text: 'كم سعرات هذا' }).ruleIds).toEqual([]);
    expect(matcher.matchSync({ text: 'كم سعر هذا؟' }).ruleIds).toEqual(['price']);
    expect(matcher.matchSync({ text: 'my #ORDER needs a refund!' }).ruleIds).toEqual(['refund-and-order']);
    expect(matcher.matchSync({ text: 'just a refund' }).ruleIds).toEqual([]);
    expect(matcher.candidates({ text: 'nothing to see here' })).toEqual([]);
  });

  it('runs on json-rules-engine only the rules it cannot compile, and says why', async () => {
    const createEngine = () => {
      const engine = lenient();
      engine.addFact('lang', async () => 'fa');
      engine.setCondition('is-telegram', { all: [{ fact: 'platform', operator: 'equal', value: 'telegram' }] });
      return engine;
    };
    const rules: MatcherRule[] = [
      { id: 'shared', conditions: { condition: 'is-telegram' } },
      { id: 'persian', conditions: { all: [{ fact: 'lang', operator: 'equal', value: 'fa' }] } },
      { id: 'compiled', conditions: { all: [{ fact: 'platform', operator: 'equal', value: 'telegram' }] } },
    ];
    const matcher = RuleMatcher.compile(rules, { createEngine });

    expect(matcher.fallbackRules.map((rule) => rule.id)).toEqual(['shared', 'persian']);
    expect(matcher.fallbackRules[1]?.reason).toMatch(/fact 'lang' is computed by json-rules-engine/);
    expect((await matcher.match({ platform: 'telegram' })).ruleIds).toEqual(['shared', 'persian', 'compiled']);
    expect(() => matcher.matchSync({ platform: 'telegram' })).toThrow(MatcherCompileError);

    const withComputedLang = RuleMatcher.compile(rules, { createEngine, computedFacts: { lang: () => 'fa' } });
    expect(withComputedLang.fallbackRules.map((rule) => rule.id)).toEqual(['shared']);
  });

  it('resolves an asynchronous fact only for events whose candidate rules name it', async () => {
    let detections = 0;
    const createEngine = () => {
      const engine = lenient();
      engine.addFact('lang', async () => 'fa');
      return engine;
    };
    const matcher = RuleMatcher.compile(
      [
        {
          id: 'persian-vip',
          conditions: {
            all: [
              { fact: 'channel.id', operator: 'equal', value: 'vip' },
              { fact: 'lang', operator: 'equal', value: 'fa' },
            ],
          },
        },
      ],
      {
        createEngine,
        asyncFacts: {
          lang: async () => {
            detections++;
            return 'fa';
          },
        },
      },
    );

    expect(matcher.fullyCompiled).toBe(true);
    expect((await matcher.match({ 'channel.id': 'other' })).ruleIds).toEqual([]);
    expect(detections).toBe(0);
    expect((await matcher.match({ 'channel.id': 'vip' })).ruleIds).toEqual(['persian-vip']);
    expect(detections).toBe(1);
    expect(() => matcher.matchSync({ 'channel.id': 'vip' })).toThrow(/asynchronous; use match/);
    expect(matcher.matchSync({ 'channel.id': 'vip', lang: 'en' }).ruleIds).toEqual([]);
  });

  it('orders fired rules by priority, then as given', () => {
    const always = { all: [] };
    const matcher = RuleMatcher.compile(
      [
        { id: 'low', conditions: always },
        { id: 'high', priority: 9, conditions: always },
        { id: 'low-2', priority: 1, conditions: always },
      ],
      { createEngine: lenient },
    );

    expect(matcher.matchSync({}).ruleIds).toEqual(['high', 'low', 'low-2']);
  });

  it('refuses rule sets json-rules-engine would refuse, naming the rule', () => {
    const ok = { all: [] };
    expect(() =>
      RuleMatcher.compile([
        { id: 'a', conditions: ok },
        { id: 'a', conditions: ok },
      ]),
    ).toThrow(/rule id 'a' is used twice/);
    expect(() => RuleMatcher.compile([{ id: 'neg', priority: -1, conditions: ok }])).toThrow(
      /rule 'neg': priority must be greater than zero/,
    );
    expect(() => RuleMatcher.compile([{ id: 'bad', conditions: { all: {} } as never }])).toThrow(/rule 'bad': "all" must be an array/);
  });

  it('rejects an undefined fact like json-rules-engine when undefined facts are not allowed', () => {
    const matcher = RuleMatcher.compile([
      { id: 'r', conditions: { all: [{ fact: 'author.followers', operator: 'greaterThan', value: 10 }] } },
    ]);

    expect(() => matcher.matchSync({})).toThrow(UndefinedFactError);
    expect(matcher.matchSync({ 'author.followers': 11 }).ruleIds).toEqual(['r']);
  });

  it('evaluates the equalities the index checked when it could not read one of their facts', () => {
    // kind has three values and platform one, so each rule is filed under kind and platform is checked on the event.
    const rules: MatcherRule[] = ['dm', 'post', 'reply'].map((kind) => ({
      id: kind,
      conditions: {
        all: [
          { fact: 'kind', operator: 'equal', value: kind },
          { fact: 'platform', operator: 'equal', value: 'x' },
        ],
      },
    }));
    const matcher = RuleMatcher.compile(rules);

    expect(matcher.candidates({ kind: 'dm', platform: 'x' })).toEqual(['dm']);
    expect(matcher.matchSync({ kind: 'dm', platform: 'x' }).ruleIds).toEqual(['dm']);
    // The index lets 'dm' through without platform; skipping the equality would fire it.
    expect(matcher.candidates({ kind: 'dm' })).toEqual(['dm']);
    expect(() => matcher.matchSync({ kind: 'dm' })).toThrow(UndefinedFactError);
  });

  it('keeps strict results among the other conditions when the indexed equalities are skipped', async () => {
    const createEngine = () => {
      const engine = lenient();
      engine.addOperator('one', () => 1 as unknown as boolean);
      return engine;
    };
    const rules: MatcherRule[] = [
      { id: 'alone', conditions: { all: [{ fact: 'platform', operator: 'equal', value: 'x' }] } },
      {
        id: 'beside-one',
        conditions: {
          all: [
            { fact: 'platform', operator: 'equal', value: 'x' },
            { fact: 'n', operator: 'one', value: 0 },
          ],
        },
      },
      { id: 'one-alone', conditions: { all: [{ fact: 'n', operator: 'one', value: 0 }] } },
      // A comparison first, kept in the matcher's columns, then the truthy 1 on its own.
      {
        id: 'compared-beside-one',
        conditions: {
          all: [
            { fact: 'n', operator: 'greaterThan', value: 0 },
            { fact: 'n', operator: 'one', value: 0 },
          ],
        },
      },
    ];
    const engine = createEngine();
    for (const rule of rules) engine.addRule({ name: rule.id, conditions: rule.conditions as never, event: { type: rule.id } });
    const facts = { platform: 'x', n: 1 };
    const { results } = await engine.run(facts);
    const matcher = RuleMatcher.compile(rules, { createEngine });

    expect(results.map((result) => result.name).sort()).toEqual(['alone', 'one-alone']);
    expect(matcher.matchSync(facts).ruleIds.slice().sort()).toEqual(['alone', 'one-alone']);
  });

  it('leaves out a rule whose indexed fact is missing, where json-rules-engine would reject the whole run', () => {
    const matcher = RuleMatcher.compile([{ id: 'r', conditions: { all: [{ fact: 'kind', operator: 'equal', value: 'dm' }] } }]);

    expect(matcher.matchSync({}).ruleIds).toEqual([]);
  });
});

describe('RuleMatcher index: rules filed under conjunctions', () => {
  const text = new TextConditions();
  const options = { accents: 'ignore' as const, unifyTehMarbuta: false };
  const createEngine = () => {
    const engine = lenient();
    text.install(engine);
    return engine;
  };
  const refund = (): unknown => text.register('containsAny', ['refund', 'money back'], options);

  it('never evaluates a candidate that fails an indexed equality, whatever the phrase', () => {
    const rules: MatcherRule[] = [
      {
        id: 'x-refund',
        conditions: {
          all: [
            { fact: 'platform', operator: 'equal', value: 'x' },
            { fact: 'text', operator: 'containsAny', value: refund() },
            { fact: 'kind', operator: 'in', value: ['message', 'dm'] },
          ],
        },
      },
      // `not` of notEqual is an equality too.
      {
        id: 'telegram-refund',
        conditions: {
          all: [
            { not: { fact: 'platform', operator: 'notEqual', value: 'telegram' } },
            { fact: 'text', operator: 'containsAny', value: refund() },
          ],
        },
      },
    ];
    const matcher = RuleMatcher.compile(rules, { createEngine, plugins: [textOperatorPlugin(text)] });
    const evaluated = (facts: Record<string, unknown>): { ruleIds: string[]; evaluated: number } => {
      const before = matcher.evaluatedRules;
      const { ruleIds } = matcher.matchSync(facts);
      return { ruleIds, evaluated: matcher.evaluatedRules - before };
    };

    expect(evaluated({ platform: 'facebook', kind: 'message', text: 'I want a refund' })).toEqual({ ruleIds: [], evaluated: 0 });
    expect(evaluated({ platform: 'x', kind: 'post', text: 'I want a refund' })).toEqual({ ruleIds: [], evaluated: 0 });
    expect(evaluated({ platform: 'x', kind: 'dm', text: 'my money back now' })).toEqual({ ruleIds: ['x-refund'], evaluated: 1 });
    expect(evaluated({ platform: 'telegram', kind: 'dm', text: 'refund!' })).toEqual({ ruleIds: ['telegram-refund'], evaluated: 1 });
    expect(matcher.candidates({ platform: 'x', kind: 'dm', text: 'nothing here' })).toEqual([]);
  });

  it('keeps rules whose equality sits in an `any` branch, and rules json-rules-engine runs', async () => {
    const rules: MatcherRule[] = [
      {
        id: 'x-or-refund',
        conditions: {
          any: [
            { fact: 'platform', operator: 'equal', value: 'x' },
            { fact: 'text', operator: 'containsAny', value: refund() },
          ],
        },
      },
      { id: 'referenced', conditions: { condition: 'is-x' } },
      { id: 'no-text', priority: 5, conditions: { all: [{ fact: 'platform', operator: 'equal', value: 'facebook' }] } },
    ];
    const matcher = RuleMatcher.compile(rules, {
      createEngine: () => {
        const engine = createEngine();
        engine.setCondition('is-x', { all: [{ fact: 'platform', operator: 'equal', value: 'x' }] });
        return engine;
      },
      plugins: [textOperatorPlugin(text)],
    });

    expect((await matcher.match({ platform: 'facebook', text: 'refund please' })).ruleIds).toEqual(['no-text', 'x-or-refund']);
    expect((await matcher.match({ platform: 'x', text: 'hello' })).ruleIds).toEqual(['x-or-refund', 'referenced']);
    expect((await matcher.match({ platform: 'slack', text: 'hello' })).ruleIds).toEqual([]);
  });

  it('returns candidates in evaluation order without sorting them per event', () => {
    // Rule numbers past one bitset word and one summary word, filed under phrases met in reverse order.
    const rules: MatcherRule[] = Array.from({ length: 2_100 }, (_, index) => ({
      id: `r${index}`,
      conditions: {
        all: [
          { fact: 'text', operator: 'containsAny', value: text.register('containsAny', [index % 2 === 0 ? 'alpha' : 'omega'], options) },
        ],
      },
    }));
    const matcher = RuleMatcher.compile(rules, { createEngine, plugins: [textOperatorPlugin(text)] });

    const fired = matcher.matchSync({ text: 'omega then alpha' }).ruleIds;
    expect(fired).toEqual(matcher.ruleIds);
    expect(matcher.candidates({ text: 'alpha' })).toEqual(matcher.ruleIds.filter((_, index) => index % 2 === 0));
  });
});
