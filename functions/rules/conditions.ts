import type { NormaliseOptions } from '../text/index.js';
import { casingAwareTextCondition } from './casing-by-language.js';
import { isKnownFact, knownFactNames } from './facts.js';
import { isTextOperator, OPERATOR_DECORATORS, STANDARD_OPERATORS, type TextConditions } from './operators.js';

/**
 * Conditions: checked for shape and meaning (known facts, operators and their values, regexes that
 * RE2 can run) and rewritten as json-rules-engine runs them, text operator values compiled once.
 */

interface ConditionProblem {
  path: Array<string | number>;
  message: string;
}

interface ConditionContext {
  text: TextConditions;
}

const OPERATOR_NAMES: readonly string[] = [...STANDARD_OPERATORS, 'containsAny', 'containsAll', 'matches'];
const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;

/** ` (did you mean 'x'?)` for a near miss among `candidates`, else empty. */
export function suggestion(name: string, candidates: readonly string[]): string {
  const lower = name.toLowerCase();
  const close =
    candidates.find((candidate) => candidate.toLowerCase() === lower) ??
    candidates.find((candidate) => editDistance(candidate.toLowerCase(), lower) <= 2);
  return close === undefined ? '' : ` (did you mean '${close}'?)`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

let knownFactsCache: string[] | undefined;
export function knownFacts(): string[] {
  knownFactsCache ??= knownFactNames();
  return knownFactsCache;
}

/** Validates conditions (shape and meaning) and returns them as json-rules-engine will run them. */
export function compileConditions(
  raw: unknown,
  path: Array<string | number>,
  context: ConditionContext,
  options: NormaliseOptions,
  facts: Set<string>,
  problems: ConditionProblem[],
  topLevel: boolean,
): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ path, message: 'a condition is an object: { fact, operator, value } or { all | any | not: … }' });
    return {};
  }
  const condition = raw as Record<string, unknown>;
  const booleanKeys = BOOLEAN_KEYS.filter((key) => key in condition);
  if (booleanKeys.length > 1) {
    problems.push({ path, message: `a condition has one of all, any, not; this one has ${booleanKeys.join(' and ')}` });
    return {};
  }
  const booleanKey = booleanKeys[0];
  if (booleanKey !== undefined) {
    const extra = Object.keys(condition).filter((key) => key !== booleanKey && key !== 'priority');
    if (extra.length > 0)
      problems.push({ path, message: `unexpected ${extra.map((key) => `'${key}'`).join(', ')} beside '${booleanKey}'` });
    const inner = condition[booleanKey];
    if (booleanKey === 'not') {
      return { ...pickPriority(condition), not: compileConditions(inner, [...path, 'not'], context, options, facts, problems, false) };
    }
    if (!Array.isArray(inner) || inner.length === 0) {
      problems.push({ path: [...path, booleanKey], message: `'${booleanKey}' needs a non-empty list of conditions` });
      return {};
    }
    return {
      ...pickPriority(condition),
      [booleanKey]: inner.map((child, index) =>
        compileConditions(child, [...path, booleanKey, index], context, options, facts, problems, false),
      ),
    };
  }
  if (topLevel) {
    problems.push({ path, message: "'when' starts with all, any or not" });
    return {};
  }
  if ('condition' in condition) {
    problems.push({ path: [...path, 'condition'], message: 'shared named conditions are not supported; write the condition here' });
    return {};
  }
  for (const key of ['fact', 'operator', 'value'] as const) {
    if (!(key in condition)) problems.push({ path, message: `a condition needs '${key}'` });
  }
  const extra = Object.keys(condition).filter((key) => !['fact', 'operator', 'value', 'path', 'params', 'priority'].includes(key));
  if (extra.length > 0)
    problems.push({
      path,
      message: `unknown key${extra.length > 1 ? 's' : ''} ${extra.map((key) => `'${key}'`).join(', ')} in a condition`,
    });
  const { fact, operator } = condition;
  let value = condition.value;
  let casingAware: Record<string, unknown> | undefined;
  if (typeof fact !== 'string') {
    if ('fact' in condition) problems.push({ path: [...path, 'fact'], message: 'fact is a field name such as text or author.followers' });
  } else if (!isKnownFact(fact)) {
    problems.push({ path: [...path, 'fact'], message: `unknown fact '${fact}'${suggestion(fact, knownFacts())}` });
  } else {
    facts.add(fact);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'fact' in value) {
    const referenced = (value as Record<string, unknown>).fact;
    if (typeof referenced !== 'string' || !isKnownFact(referenced)) {
      problems.push({ path: [...path, 'value', 'fact'], message: `unknown fact '${String(referenced)}'` });
    } else {
      facts.add(referenced);
    }
  }
  if (typeof operator !== 'string') {
    if ('operator' in condition) problems.push({ path: [...path, 'operator'], message: 'operator is a name such as equal or containsAny' });
  } else {
    const parts = operator.split(':');
    const base = parts.pop()!;
    const unknownDecorator = parts.find((part) => !(OPERATOR_DECORATORS as readonly string[]).includes(part));
    if (!OPERATOR_NAMES.includes(base)) {
      problems.push({ path: [...path, 'operator'], message: `unknown operator '${operator}'${suggestion(base, OPERATOR_NAMES)}` });
    } else if (unknownDecorator !== undefined) {
      problems.push({
        path: [...path, 'operator'],
        message: `unknown operator decorator '${unknownDecorator}' (known: ${OPERATOR_DECORATORS.join(', ')})`,
      });
    } else if (isTextOperator(base)) {
      if (parts.some((part) => part === 'someValue' || part === 'everyValue' || part === 'swap')) {
        problems.push({ path: [...path, 'operator'], message: `${base} takes its phrases as a whole; use not: or someFact: only` });
      } else {
        try {
          const { condition: compiled, readsLang } = casingAwareTextCondition(context.text, base, value, options, copyCondition(condition));
          if (readsLang) {
            facts.add('lang');
            casingAware = compiled;
          } else {
            value = compiled.value;
          }
        } catch (error) {
          problems.push({ path: [...path, 'value'], message: (error as Error).message });
        }
      }
    } else {
      const problem = checkStandardValue(base, value);
      if (problem) problems.push({ path: [...path, 'value'], message: problem });
    }
  }
  if (casingAware !== undefined) return casingAware;
  return copyCondition(condition, value);
}

/** A leaf condition's keys json-rules-engine reads, with `value` as given. */
function copyCondition(condition: Record<string, unknown>, value: unknown = condition.value): Record<string, unknown> {
  const compiled: Record<string, unknown> = { fact: condition.fact, operator: condition.operator, value };
  if (condition.path !== undefined) compiled.path = condition.path;
  if (condition.params !== undefined) compiled.params = condition.params;
  if (condition.priority !== undefined) compiled.priority = condition.priority;
  return compiled;
}

function pickPriority(condition: Record<string, unknown>): Record<string, unknown> {
  return condition.priority === undefined ? {} : { priority: condition.priority };
}

function checkStandardValue(operator: string, value: unknown): string | undefined {
  const isFactReference = value !== null && typeof value === 'object' && !Array.isArray(value) && 'fact' in value;
  if (isFactReference) return undefined;
  if ((operator === 'in' || operator === 'notIn') && !Array.isArray(value)) return `${operator} needs a list, e.g. [message, comment]`;
  if (operator.startsWith('lessThan') || operator.startsWith('greaterThan')) {
    if (typeof value !== 'number') return `${operator} compares numbers; the value must be a number`;
  }
  return undefined;
}
