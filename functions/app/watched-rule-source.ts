import type { Clock } from '../core/ports.js';
import { formatProblem, RuleValidationError } from '../rules/errors.js';
import { watchRuleDirectory } from '../rules/watch.js';
import type { AppLogger } from './adapters.js';
import { ruleLanguage } from './rule-language.js';
import { type LoadedRules, loadedRules, type RuleSource } from './rule-source.js';

/** How the latest compilation of the rules folder went: `rejected` means the previous rules are still in force. */
export type RuleReloadStatus =
  | { status: 'loaded'; at: string }
  | {
      status: 'rejected';
      at: string;
      /** The first problem, located (`rules/a.yaml:3: rule › path: message`), or the error's first line. */
      error: string;
      /** How many problems the rejected change has (1 for an error that is not a list of problems). */
      problems: number;
    };

export interface WatchedRuleSource extends RuleSource {
  /** The latest rules that loaded; a change that failed validation leaves them in force. */
  latest(): LoadedRules;
  /** Whether the latest change loaded or was rejected, and why. */
  reload(): RuleReloadStatus;
  close(): void;
}

function firstErrorOf(error: Error): { error: string; problems: number } {
  if (error instanceof RuleValidationError && error.problems.length > 0)
    return { error: formatProblem(error.problems[0]!), problems: error.problems.length };
  return { error: error.message.split('\n')[0] ?? error.message, problems: 1 };
}

/**
 * The rules folder, compiled once at start and once after every change to a rule file or the team
 * config. Refuses to start on rules that do not load; later, a change that fails validation is logged
 * and reported by `reload()`, the previous rules stay in force, and the fix is logged as clearing it.
 */
export async function watchedRuleSource(
  dir: string,
  logger: AppLogger,
  clock: Clock = { now: () => new Date() },
): Promise<WatchedRuleSource> {
  let latest: LoadedRules | undefined;
  let failure: Error | undefined;
  let status: RuleReloadStatus | undefined;
  const watcher = await watchRuleDirectory(
    dir,
    (result) => {
      let next: LoadedRules | Error;
      try {
        next = result instanceof Error ? result : loadedRules(result);
      } catch (error) {
        next = error instanceof Error ? error : new Error(String(error));
      }
      const at = clock.now().toISOString();
      if (next instanceof Error) {
        failure = next;
        if (latest) {
          status = { status: 'rejected', at, ...firstErrorOf(next) };
          logger.error('rules not reloaded: the previous rule set stays active', { error: next.message });
        }
        return;
      }
      const rules = next.ruleSet.ruleIds.length;
      if (status?.status === 'rejected')
        logger.info('rules reloaded: the rejected change is fixed, its error cleared', { dir, rules, cleared: status.error });
      else logger.info(latest ? 'rules reloaded' : 'rules loaded', { dir, rules });
      latest = next;
      status = { status: 'loaded', at };
    },
    { extensions: ruleLanguage },
  );
  if (!latest) {
    watcher.close();
    throw new Error(`the rules in ${dir} do not load:\n${failure?.message ?? 'unknown error'}`);
  }
  const current = (): LoadedRules => latest as LoadedRules;
  return {
    latest: current,
    current: async () => current(),
    reload: () => status as RuleReloadStatus,
    close: () => watcher.close(),
  };
}
