import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPERATORS } from '../../functions/matcher/operators.js';

interface JreOperator {
  evaluate(factValue: unknown, jsonValue: unknown): boolean;
}

const engineOperators = (new Engine() as unknown as { operators: { get(name: string): JreOperator } }).operators;

// Numbers of every kind (the fast path) and what parseFloat reads otherwise.
const FACT_VALUES: unknown[] = [
  0,
  -0,
  1,
  -1.5,
  1e21,
  5e-324,
  Number.MAX_VALUE,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  '12',
  '12abc',
  'abc',
  '',
  ' 3 ',
  'Infinity',
  '-Infinity',
  'NaN',
  null,
  undefined,
  true,
  [],
  [7],
  {},
  { valueOf: () => 3 },
];
const RULE_VALUES: unknown[] = [0, 10, -1, 1e21, Number.POSITIVE_INFINITY, '5'];

describe('DEFAULT_OPERATORS', () => {
  it('answer the numeric comparisons as json-rules-engine does on every kind of fact value', () => {
    for (const name of ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']) {
      const mine = DEFAULT_OPERATORS[name] as (a: unknown, b: unknown) => unknown;
      const theirs = engineOperators.get(name);
      for (const factValue of FACT_VALUES) {
        for (const ruleValue of RULE_VALUES) {
          expect(mine(factValue, ruleValue), `${name}(${String(factValue)}, ${String(ruleValue)})`).toBe(
            theirs.evaluate(factValue, ruleValue),
          );
        }
      }
    }
  });
});
