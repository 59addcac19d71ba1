import { watchRuleDirectory } from '../rules/watch.js';
import type { AppLogger } from './adapters.js';
import { ruleLanguage } from './rule-language.js';
import { type LoadedRules, loadedRules, type RuleSource } from './rule-source.js';

export interface WatchedRuleSource extends RuleSource {
  /** The latest rules that loaded; a change that failed validation leaves them in force. */
  latest(): LoadedRules;
  close(): void;
}

/**
 * The rules folder, compiled once at start and once after every change to a rule file or the team
 * config. Refuses to start on rules that do not load; later, a change that fails validation is logged
 * and the previous rules stay in force.
 */
export async function watchedRuleSource(dir: string, logger: AppLogger): Promise<WatchedRuleSource> {
  let latest: LoadedRules | undefined;
  let failure: Error | undefined;
  const watcher = await watchRuleDirectory(
    dir,
    (result) => {
      let next: LoadedRules | Error;
      try {
        next = result instanceof Error ? result : loadedRules(result);
      } catch (error) {
        next = error instanceof Error ? error : new Error(String(error));
      }
      if (next instanceof Error) {
        failure = next;
        if (latest) logger.error('rules not reloaded: the previous rule set stays active', { error: next.message });
        return;
      }
      logger.info(latest ? 'rules reloaded' : 'rules loaded', { dir, rules: next.ruleSet.ruleIds.length });
      latest = next;
    },
    { extensions: ruleLanguage },
  );
  if (!latest) {
    watcher.close();
    throw new Error(`the rules in ${dir} do not load:\n${failure?.message ?? 'unknown error'}`);
  }
  const current = (): LoadedRules => latest as LoadedRules;
  return { latest: current, current: async () => current(), close: () => watcher.close() };
}
