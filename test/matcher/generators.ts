import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import type { MatcherRule } from '../../functions/matcher/rule-matcher.js';
import { casingAwareTextCondition } from '../../functions/rules/casing-by-language.js';
import type { TextConditions } from '../../functions/rules/operators.js';
import { type MatchingLists, matchOptions } from '../../functions/text/index.js';

/**
 * Generated rule sets and event facts for the matcher's property tests: json-rules-engine conditions of every
 * shape the compiler handles (and some it hands back), text conditions in the scripts Foghorn serves.
 */

const STRINGS = ['telegram', 'x', 'slack', 'message', 'dm', '', '10', '2.5', 'abc', 'refund', 'C1', 'C2'];
const NUMBERS = [0, 1, 10, 100, -1, 2.5, 1000];
const FACTS = ['platform', 'kind', 'channel.id', 'author.followers', 'author', 'tags', 'text', 'count'];
const ENGINE_FACTS = ['region', 'computed', 'detected', 'uncompiled'];
const PATHS = ['$.followers', 'followers', '$.name', '$.length', '$.a.b', ''];
/** Beyond plain steps: json-rules-engine resolves these, so their rules fall back. */
const RARE_PATHS = ['$.tags[0]', '$..b'];

/** Words and phrases in the scripts Foghorn serves, with the variants the normaliser unifies. */
const FRAGMENTS = [
  'opening hours',
  'Opening HOURS',
  'refund',
  '#refund',
  '@refund',
  'car',
  'scar',
  'Café',
  'cafe',
  'hello',
  'ساعت کاری',
  'می\u200Cخواهم',
  'میخواهم',
  'می خواهم',
  'کتاب\u200Cها',
  'كتاب',
  'کتاب',
  'سعر',
  'سعرات',
  'ساعات العمل',
  'مدرسة',
  'مدرسه',
  'شُكْرًا',
  'شكرا',
  'שעות פתיחה',
  'שָׁלוֹם',
  'שלום',
  'Привет',
  'ёлка',
  'елка',
  'saa za kazi',
  'habari',
  '۱۲۳',
  '123',
  '😀',
  '👍🏽',
  'https://x.com/refund',
  // The per-language matching layer: prefixes, Persian spacing, variants, casing, informal spellings.
  'التوصيل',
  'والتوصيل',
  'الناس',
  'للناس',
  'بانيا',
  'البانيا',
  'שנת',
  'בשנת',
  'הבית',
  'ובבית',
  'گفته‌اند',
  'گفته اند',
  'بر می دارد',
  'برمی‌دارد',
  'کار آفرین',
  'کارآفرین',
  'خانه ی من',
  'خانۀ من',
  'سلامممم',
  '۹متر',
  'متر',
  'ڪتاب',
  'مؤمن',
  'مومن',
  'IŞIK',
  'Işık',
  'ışık',
  'isik',
  'İÇİN',
  'için',
  'I need',
  'i need',
  'می‌رم',
  'می‌روم',
];
const SEPARATORS = [' ', ', ', '! ', '؟ ', '\n', '...'];
const PATTERNS = ['refund|بازپرداخت', '^hello', '\\bcar\\b', 'ساعت\\s*کاری', '[0-9]{3}', 'שלום', '('];

export const sentence = fc
  .array(fc.tuple(fc.constantFrom(...FRAGMENTS), fc.constantFrom(...SEPARATORS)), { maxLength: 8 })
  .map((parts) => parts.map(([fragment, separator]) => fragment + separator).join(''));

const primitive = fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(...NUMBERS), fc.boolean(), fc.constant(null));
const factValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: primitive },
  { weight: 4, arbitrary: sentence },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.array(fc.oneof(primitive, sentence), { maxLength: 3 }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        followers: fc.oneof(fc.constantFrom(...NUMBERS), fc.constantFrom('12', 'many')),
        name: fc.oneof(fc.constantFrom(...STRINGS), sentence),
        a: fc.record({ b: primitive }),
      },
      { requiredKeys: [] },
    ),
  },
);

export const facts = fc.dictionary(fc.constantFrom(...FACTS), factValue, { maxKeys: FACTS.length });

const conditionValue = fc.oneof(
  { weight: 6, arbitrary: primitive },
  { weight: 4, arbitrary: fc.array(primitive, { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { fact: fc.constantFrom(...FACTS, 'region', 'detected'), path: fc.constantFrom(...PATHS) },
      { requiredKeys: ['fact'] },
    ),
  },
);

const OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
];
const RARE_OPERATORS = ['not:equal', 'someFact:equal', 'everyValue:notEqual', 'startsWith', 'noSuchOperator'];

const leaf = fc
  .record(
    {
      fact: fc.oneof(
        { weight: 20, arbitrary: fc.constantFrom(...FACTS) },
        { weight: 1, arbitrary: fc.constantFrom(...ENGINE_FACTS, 'absent') },
      ),
      operator: fc.oneof(
        { weight: 30, arbitrary: fc.constantFrom(...OPERATORS) },
        { weight: 1, arbitrary: fc.constantFrom(...RARE_OPERATORS) },
      ),
      value: conditionValue,
      path: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...PATHS) }, { weight: 1, arbitrary: fc.constantFrom(...RARE_PATHS) }),
      priority: fc.constantFrom(1, 2, 3, '2'),
      listify: fc.constantFrom(true, true, true, true, false),
    },
    { requiredKeys: ['fact', 'operator', 'value', 'listify'] },
  )
  .map(({ listify, ...condition }) => {
    // `in` against a non-list makes the engine reject the whole run; keep it rare so most cases compare.
    const needsList = /^(notIn|in|everyValue:notEqual)$/.test(condition.operator);
    return needsList && listify && !Array.isArray(condition.value) ? { ...condition, value: [condition.value, 'x'] } : condition;
  });

/** A text condition before registration: its value becomes a TextConditions key per case. */
const textLeaf = fc
  .record({
    fact: fc.constantFrom('text', 'text', 'tags', 'author', 'kind'),
    operator: fc.constantFrom('containsAny', 'containsAny', 'containsAll', 'matches', 'not:containsAny', 'someFact:containsAll'),
    phrases: fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 3 }),
    pattern: fc.constantFrom(...PATTERNS),
    accents: fc.constantFrom<'ignore' | 'match'>('ignore', 'match'),
    unifyTehMarbuta: fc.boolean(),
    hamza: fc.constantFrom<'distinct' | 'unify'>('distinct', 'unify'),
    clitics: fc.constantFrom('on', 'on', 'off', 'first-off'),
    informal: fc.constantFrom<'on' | 'off'>('on', 'off'),
    lang: fc.constantFrom(undefined, undefined, 'tr', 'fa', 'he'),
  })
  .map((spec) => ({
    fact: spec.fact,
    ...(spec.fact === 'author' ? { path: '$.name' } : {}),
    operator: spec.operator,
    value: { $text: spec },
  }));

const { condition } = fc.letrec<{ condition: Record<string, unknown>; nested: Record<string, unknown> }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: leaf as fc.Arbitrary<Record<string, unknown>> },
    { weight: 2, arbitrary: textLeaf as fc.Arbitrary<Record<string, unknown>> },
    { weight: 1, arbitrary: tie('nested') },
  ),
  nested: fc.oneof(
    fc.record({ all: fc.array(tie('condition'), { maxLength: 3 }), priority: fc.constantFrom(1, 2) }, { requiredKeys: ['all'] }),
    fc.record({ any: fc.array(tie('condition'), { maxLength: 3 }), priority: fc.constantFrom(1, 2) }, { requiredKeys: ['any'] }),
    fc.record({ not: tie('condition') }),
  ),
}));

const topLevel = fc.oneof(
  { weight: 20, arbitrary: fc.record({ all: fc.array(condition, { maxLength: 4 }) }) },
  { weight: 20, arbitrary: fc.record({ any: fc.array(condition, { maxLength: 4 }) }) },
  { weight: 6, arbitrary: fc.record({ not: condition }) },
  { weight: 1, arbitrary: fc.constant({ condition: 'shared' }) },
);

export const ruleSet = fc
  .array(fc.record({ priority: fc.constantFrom(undefined, 1, 2, 3), conditions: topLevel }), { minLength: 1, maxLength: 5 })
  .map((rules) =>
    rules.map(
      (rule, index): MatcherRule => ({
        id: `r${index}`,
        ...(rule.priority === undefined ? {} : { priority: rule.priority }),
        conditions: rule.conditions,
      }),
    ),
  );

export interface Setup {
  allowUndefinedFacts: boolean;
  text: TextConditions;
}

/** A team's own compound and informal spelling, on top of the built-in lists. */
const TEAM_LISTS: MatchingLists = { compounds: ['خانه من'], informal: { fa: { میگیرم: 'میگیرم', میخوریم: 'میخوریم', میرم: 'میروم' } } };

/** Replaces each text condition's spec with the key TextConditions registers it under, as the rules module does. */
export function registerText(conditions: unknown, text: TextConditions): unknown {
  if (Array.isArray(conditions)) return conditions.map((child) => registerText(child, text));
  if (conditions === null || typeof conditions !== 'object') return conditions;
  const node = conditions as Record<string, unknown>;
  const spec = (node.value as { $text?: Record<string, unknown> } | undefined)?.$text;
  if (spec === undefined)
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, key === 'value' ? child : registerText(child, text)]));
  const base = String(node.operator).split(':').pop() as 'containsAny' | 'containsAll' | 'matches';
  const phrases = spec.phrases as string[];
  const options = matchOptions(
    {
      accents: spec.accents as 'ignore' | 'match',
      tehMarbuta: spec.unifyTehMarbuta === true ? 'unify' : 'distinct',
      hamza: spec.hamza as 'distinct' | 'unify',
      clitics: spec.clitics === 'first-off' ? { off: [phrases[0] as string] } : (spec.clitics as 'on' | 'off'),
      informal: spec.informal as 'on' | 'off',
      ...(spec.lang === undefined ? {} : { lang: spec.lang as string }),
    },
    TEAM_LISTS,
  );
  try {
    // As the rules module compiles it: without a rule lang and with accents kept, one condition per casing behind `lang`.
    return casingAwareTextCondition(text, base, base === 'matches' ? spec.pattern : spec.phrases, options, node).condition;
  } catch {
    return { ...node, value: spec.pattern }; // a pattern RE2 refuses: the engine's operator answers false for an unknown key
  }
}

/** The post's language, as the rules module's `lang` fact gives it: Turkish for direct messages, else English or none. */
export function languageOf(eventFacts: Record<string, unknown>): string | undefined {
  return eventFacts.kind === 'dm' ? 'tr' : eventFacts.kind === 'message' ? 'en' : undefined;
}

export function createEngine(setup: Setup): Engine {
  const engine = new Engine([], { allowUndefinedFacts: setup.allowUndefinedFacts, allowUndefinedConditions: true });
  setup.text.install(engine);
  engine.addOperator('startsWith', (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b));
  engine.addFact('region', 'eu', { priority: 2 });
  engine.addFact('computed', async () => 'later');
  engine.addFact('uncompiled', async () => 'x');
  engine.addFact('lang', async (_params, almanac) => languageOf({ kind: await almanac.factValue('kind').catch(() => undefined) }));
  engine.addFact('detected', async (_params, almanac) => ((await almanac.factValue('kind').catch(() => undefined)) === 'dm' ? 'fa' : 'x'));
  engine.setCondition('shared', { all: [{ fact: 'platform', operator: 'equal', value: 'telegram' }] });
  return engine;
}
