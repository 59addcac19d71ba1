import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { describedEngine } from '../../functions/matcher/engine-description.js';
import { type MatcherRule, RuleMatcher } from '../../functions/matcher/index.js';
import { viewEngine } from '../../functions/matcher/jre.js';
import { DEFAULT_OPERATOR_DECORATORS, DEFAULT_OPERATORS } from '../../functions/matcher/operators.js';

const startsWith = (factValue: unknown, value: unknown) => typeof factValue === 'string' && factValue.startsWith(String(value));
const NAMES = [...Object.keys(DEFAULT_OPERATORS), 'startsWith'];
const DECORATORS = Object.keys(DEFAULT_OPERATOR_DECORATORS);

/** What an operator answers, or the error it throws (the engine rejects a rule's run with it). */
function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

describe('an engine described instead of built', () => {
  const built = new Engine([], { allowUndefinedFacts: true });
  built.addOperator('startsWith', startsWith);
  built.addOperator('lessThan', (a: unknown, b: unknown) => Number(a) < Number(b) - 1);
  built.addFact('localHour', async () => 9, { priority: 5 });
  built.addFact('lang', async () => 'fa');
  const described = describedEngine({
    allowUndefinedFacts: true,
    operators: { startsWith, lessThan: (a, b) => Number(a) < Number(b) - 1 },
    dynamicFacts: { localHour: { priority: 5 }, lang: {} },
  });
  const real = viewEngine(built);

  it('answers every operator, decorated or not, as json-rules-engine does', () => {
    const value = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom('a', 'ab', 'b', '', '3', 'x1'),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'ab')), { maxLength: 3 }),
    );
    const name = fc
      .tuple(fc.array(fc.constantFrom(...DECORATORS, 'bogus'), { maxLength: 2 }), fc.constantFrom(...NAMES, 'unknown'))
      .map(([decorators, operator]) => [...decorators, operator].join(':'));
    fc.assert(
      fc.property(name, value, value, (operator, factValue, jsonValue) => {
        const mine = described.operator(operator);
        const theirs = real.operator(operator);
        expect(mine === undefined, operator).toBe(theirs === undefined);
        if (mine === undefined || theirs === undefined) return;
        expect(outcome(() => mine.evaluate(factValue, jsonValue))).toEqual(outcome(() => theirs.evaluate(factValue, jsonValue)));
        expect(described.isDefaultOperator(operator), operator).toBe(real.isDefaultOperator(operator));
      }),
      { numRuns: 2_000 },
    );
  });

  it('holds the same options and facts', () => {
    expect(described.allowUndefinedFacts).toBe(real.allowUndefinedFacts);
    expect(described.pathResolver).toBe(real.pathResolver);
    for (const id of ['localHour', 'lang', 'text']) {
      const theirs = real.fact(id);
      expect(described.fact(id) && { priority: described.fact(id)?.priority, constant: described.fact(id)?.isConstant() }, id).toEqual(
        theirs && { priority: theirs.priority, constant: theirs.isConstant() },
      );
    }
  });

  it('builds the engine for the rules it cannot compile on the first match that needs it, once, and agrees with it', async () => {
    const rules: MatcherRule[] = [
      { id: 'compiled', conditions: { all: [{ fact: 'kind', operator: 'equal', value: 'dm' }] } },
      // A condition reference: only json-rules-engine resolves it.
      { id: 'referenced', conditions: { all: [{ condition: 'isDm' }] } },
    ];
    let loads = 0;
    const matcher = RuleMatcher.compile(rules, {
      engine: { allowUndefinedFacts: true },
      loadEngine: async () => {
        loads++;
        const engine = new Engine([], { allowUndefinedFacts: true });
        engine.setCondition('isDm', { all: [{ fact: 'kind', operator: 'equal', value: 'dm' }] });
        return engine;
      },
    });
    expect(matcher.fallbackRules.map((rule) => rule.id)).toEqual(['referenced']);
    expect(loads).toBe(0);
    const [dm, post] = await Promise.all([matcher.match({ kind: 'dm' }), matcher.match({ kind: 'post' })]);
    expect(dm.ruleIds).toEqual(['compiled', 'referenced']);
    expect(post.ruleIds).toEqual([]);
    expect(loads).toBe(1);
  });

  it("refuses at compile a rule json-rules-engine's constructors refuse, without building the engine", () => {
    let loads = 0;
    const compile = (conditions: unknown) =>
      RuleMatcher.compile([{ id: 'bad', conditions: conditions as never }], {
        engine: {},
        loadEngine: async () => {
          loads++;
          return new Engine();
        },
      });
    expect(() => compile({ any: [{ fact: 'kind', operator: 'equal' }] })).toThrow(/rule 'bad': condition without "value"/);
    expect(() => compile({ not: [] })).toThrow(/rule 'bad': "not" cannot be an array/);
    expect(() => compile({ some: [] })).toThrow(/rule 'bad': "conditions" root must contain/);
    for (const conditions of [{ any: [{ fact: 'kind', operator: 'equal' }] }, { not: [] }, { some: [] }]) {
      expect(() => new Engine().addRule({ name: 'bad', conditions: conditions as never, event: { type: 'x' } })).toThrow();
    }
    expect(loads).toBe(0);
  });
});
