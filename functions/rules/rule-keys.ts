import { basicsOf, type RuleLanguageBasics, type RuleLanguageExtension } from './extension.js';

/** The keys of a rule in the base language, in the schema's order (schema.ts's shape must have exactly these). */
export const BASE_RULE_KEYS = [
  'id',
  'description',
  'enabled',
  'priority',
  'stop',
  'match',
  'when',
  'then',
  'onQuiet',
  'limits',
  'overflow',
  'tests',
] as const;

/** The keys a rule may hold with these extensions, by name only: no schema is built, so no zod is loaded. */
export function ruleKeyNames(extensions: readonly (RuleLanguageExtension | RuleLanguageBasics)[]): ReadonlySet<string> {
  return new Set([...BASE_RULE_KEYS, ...extensions.flatMap((extension) => basicsOf(extension).ruleKeyNames)]);
}
