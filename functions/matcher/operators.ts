/**
 * json-rules-engine's default operators, restated as plain functions with the same expressions, so a
 * compiled condition answers exactly what the engine answers, including its quirks: `in` on a string
 * value is a substring test, numeric operators accept anything parseFloat can read, and an invalid
 * value throws the same TypeError the engine would reject with.
 * Source: node_modules/json-rules-engine/dist/engine-default-operators.js (7.3.1).
 */
// biome-ignore lint/suspicious/noExplicitAny: the engine's operators take any fact and any rule value, as json-rules-engine's do.
export type OperatorFn = (factValue: any, jsonValue: any) => unknown;

// biome-ignore lint/suspicious/noExplicitAny: as OperatorFn.
function numberValidator(factValue: any): boolean {
  // A number's string parses back to itself (NaN to NaN): the same answer, without making two strings.
  if (typeof factValue === 'number') return !Number.isNaN(factValue);
  return Number.parseFloat(factValue).toString() !== 'NaN';
}

export const DEFAULT_OPERATORS: Readonly<Record<string, OperatorFn>> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => b.indexOf(a) > -1,
  notIn: (a, b) => b.indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => numberValidator(a) && a < b,
  lessThanInclusive: (a, b) => numberValidator(a) && a <= b,
  greaterThan: (a, b) => numberValidator(a) && a > b,
  greaterThanInclusive: (a, b) => numberValidator(a) && a >= b,
};

export interface OperatorDecoratorFn {
  // biome-ignore lint/suspicious/noExplicitAny: as OperatorFn.
  cb: (factValue: any, jsonValue: any, next: OperatorFn) => unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as OperatorFn.
  factValueValidator?: (factValue: any) => boolean;
}

/**
 * json-rules-engine's default operator decorators (`not:equal`, `someFact:containsAny`), with the same
 * expressions. Source: node_modules/json-rules-engine/dist/engine-default-operator-decorators.js (7.3.1).
 */
export const DEFAULT_OPERATOR_DECORATORS: Readonly<Record<string, OperatorDecoratorFn>> = {
  someFact: { cb: (a, b, next) => a.some((fv: unknown) => next(fv, b)), factValueValidator: Array.isArray },
  someValue: { cb: (a, b, next) => b.some((jv: unknown) => next(a, jv)) },
  everyFact: { cb: (a, b, next) => a.every((fv: unknown) => next(fv, b)), factValueValidator: Array.isArray },
  everyValue: { cb: (a, b, next) => b.every((jv: unknown) => next(a, jv)) },
  swap: { cb: (a, b, next) => next(b, a) },
  not: { cb: (a, b, next) => !next(a, b) },
};
