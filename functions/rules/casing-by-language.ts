import { casingFollowsPost, type NormaliseOptions, TURKIC_LANGUAGES, withTurkicCasing } from '../text/index.js';
import type { TextConditions, TextOperator } from './operators.js';

/**
 * Turkish and Azerbaijani lower-case I as ı and İ as i. A rule that names its language (`match: { lang: tr }`)
 * gets that casing when it is compiled; for one that does not, the post's language decides: its text condition
 * is compiled twice, once per casing, each behind a condition on `lang` (one of TURKIC_LANGUAGES or not). Both
 * engines then read it the same way, json-rules-engine and the compiled matcher alike, with no operator that
 * needs to know the post's language.
 *
 * Cost: only where the casing can change the answer, that is with accents kept (with accents ignored, both
 * casings give the same text) and, for phrases, when one holds an i, a ı or the dot of İ. Then `lang` is asked
 * like any `lang` condition: detection runs at most once per event, and only when such a rule is a candidate.
 */

/** A text condition as json-rules-engine runs it: one condition, or the two casings behind `lang`. */
export function casingAwareTextCondition(
  text: TextConditions,
  base: TextOperator,
  value: unknown,
  options: NormaliseOptions,
  condition: Record<string, unknown>,
): { condition: Record<string, unknown>; readsLang: boolean } {
  const key = text.register(base, value, options);
  if (!casingFollowsPost(options) || !casingCanMatter(text, key)) return { condition: { ...condition, value: key }, readsLang: false };
  const turkicKey = text.register(base, value, withTurkicCasing(options));
  const { priority, ...textCondition } = condition;
  return {
    condition: {
      ...(priority === undefined ? {} : { priority }),
      any: [
        {
          all: [
            { fact: 'lang', operator: 'notIn', value: [...TURKIC_LANGUAGES] },
            { ...textCondition, value: key },
          ],
        },
        {
          all: [
            { fact: 'lang', operator: 'in', value: [...TURKIC_LANGUAGES] },
            { ...textCondition, value: turkicKey },
          ],
        },
      ],
    },
    readsLang: true,
  };
}

/** A phrase reads the same under both casings unless it holds i, ı or a combining dot above; a pattern may read anything. */
function casingCanMatter(text: TextConditions, key: string): boolean {
  const compiled = text.describe(key);
  if (compiled === undefined || compiled.operator === 'matches') return true;
  return compiled.phrases.some((tokens) => tokens.some((token) => CASED_I.test(token)));
}

const CASED_I = /i|\u0131|\u0307/;

/**
 * The text condition inside a node casingAwareTextCondition made, as json-rules-engine evaluated it: the
 * branch whose `lang` condition held (or the first), for explanations to show the condition the author wrote.
 */
export function casingBranchCondition(node: Record<string, unknown>, text: TextConditions): Record<string, unknown> | undefined {
  const branches = node.any;
  if (!Array.isArray(branches) || branches.length !== 2) return undefined;
  const parts = branches.map((branch) => (branch as { all?: unknown }).all);
  if (!parts.every((part): part is Record<string, unknown>[] => Array.isArray(part) && part.length === 2)) return undefined;
  const [first, second] = parts as [Record<string, unknown>[], Record<string, unknown>[]];
  const isLangTest = (condition: Record<string, unknown> | undefined, operator: string) =>
    condition?.fact === 'lang' && condition.operator === operator && sameList(condition.value, TURKIC_LANGUAGES);
  if (!isLangTest(first[0], 'notIn') || !isLangTest(second[0], 'in')) return undefined;
  const [plain, turkic] = [first[1], second[1]];
  if (plain === undefined || turkic === undefined) return undefined;
  const plainCompiled = text.describe(plain.value);
  const turkicCompiled = text.describe(turkic.value);
  if (plainCompiled === undefined || turkicCompiled === undefined || plainCompiled.source !== turkicCompiled.source) return undefined;
  return second[0]?.result === true ? turkic : plain;
}

function sameList(value: unknown, list: readonly string[]): boolean {
  return Array.isArray(value) && value.length === list.length && value.every((item, index) => item === list[index]);
}
