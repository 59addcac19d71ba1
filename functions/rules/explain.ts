import type { ConditionExplanation } from '../core/rule-set.js';
import { casingBranchCondition } from './casing-by-language.js';
import type { TextConditions } from './operators.js';

/** A condition as json-rules-engine evaluated it, with the value the rule author wrote. */
export function explainCondition(condition: Record<string, unknown>, text: TextConditions): ConditionExplanation {
  // A text condition whose casing follows the post's language: the one the author wrote, in the casing used.
  const written = casingBranchCondition(condition, text);
  if (written !== undefined) return explainCondition(written, text);
  for (const key of ['all', 'any'] as const) {
    const children = condition[key];
    if (Array.isArray(children)) {
      return {
        operator: key,
        ...resultOf(condition),
        conditions: children.map((child) => explainCondition(child as Record<string, unknown>, text)),
      };
    }
  }
  if (condition.not !== undefined && typeof condition.not === 'object') {
    return { operator: 'not', ...resultOf(condition), conditions: [explainCondition(condition.not as Record<string, unknown>, text)] };
  }
  return {
    operator: String(condition.operator),
    fact: String(condition.fact),
    ...(condition.path === undefined ? {} : { path: String(condition.path) }),
    value: text.sourceOf(condition.value),
    ...('factResult' in condition ? { factValue: condition.factResult } : {}),
    ...resultOf(condition),
  };
}

function resultOf(condition: Record<string, unknown>): { result?: boolean } {
  return typeof condition.result === 'boolean' ? { result: condition.result } : {};
}
