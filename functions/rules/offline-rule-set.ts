import type { RuleSet } from '../core/rule-set.js';
import type { CompiledRule } from './compile.js';
import type { OfflineTick, RuleLanguageExtension } from './extension.js';

/**
 * `base` with every extension's offline behaviour, each wrapping the one before, with fresh in-memory
 * state: rule tests and `foghorn evaluate` run on it, so extension keys behave as they do live.
 */
export function offlineRuleSet(
  base: RuleSet,
  rules: readonly CompiledRule[],
  extensions: readonly RuleLanguageExtension[],
): { ruleSet: RuleSet; advance(now: Date): Promise<OfflineTick> } {
  let ruleSet = base;
  const clocks: Array<(now: Date) => Promise<OfflineTick>> = [];
  for (const extension of extensions) {
    if (!extension.offline) continue;
    const offline = extension.offline(ruleSet, rules);
    ruleSet = offline.ruleSet;
    if (offline.advance) clocks.push((now) => offline.advance!(now));
  }
  return {
    ruleSet,
    async advance(now) {
      const tick: OfflineTick = { events: [], decisions: [] };
      for (const advance of clocks) {
        const next = await advance(now);
        tick.events.push(...next.events);
        tick.decisions.push(...next.decisions);
      }
      return tick;
    },
  };
}
