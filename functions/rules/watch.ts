import { type FSWatcher, watch } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findConfigPath } from './config.js';
import { RuleValidationError } from './errors.js';
import type { RuleLanguageOptions } from './extension.js';
import { type CompiledRules, compileRuleDirectory } from './loader.js';

export interface RuleDirectoryWatcher {
  close(): void;
}

export interface WatchOptions extends RuleLanguageOptions {
  /** Quiet time after the last change before reloading (editors write files in bursts). */
  debounceMs?: number;
  /** The team config; default: FOGHORN_CONFIG or the nearest foghorn.config.yaml, found once at the start. */
  configPath?: string;
}

/**
 * Compiles the rules under `dir` now, and again whenever a rule file or the team config changes,
 * re-reading the config each time: one compilation per reload, so the caller derives everything it
 * needs (the rule set, the extensions' options) from the same rules. `onChange` receives each
 * compilation without problems, or why a reload failed: a RuleValidationError listing the problems,
 * the team config's RuleConfigError, or another Error. The caller keeps its last good rules.
 * Resolves once the first compilation has been delivered.
 */
export async function watchRuleDirectory(
  dir: string,
  onChange: (result: CompiledRules | Error) => void,
  options: WatchOptions,
): Promise<RuleDirectoryWatcher> {
  const root = resolve(dir);
  const configPath = options.configPath ?? findConfigPath(root);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let loading = Promise.resolve();

  const reload = () => {
    // A throwing onChange rejects this reload only; the next one still runs.
    loading = loading
      .catch(() => undefined)
      .then(async () => {
        if (closed) return;
        let result: CompiledRules | Error;
        try {
          const compiled = await compileRuleDirectory(root, { extensions: options.extensions, ...(configPath ? { configPath } : {}) });
          result = compiled.problems.length > 0 ? new RuleValidationError(compiled.problems) : compiled;
        } catch (error) {
          result = error instanceof Error ? error : new Error(String(error));
        }
        if (!closed) onChange(result);
      });
    return loading;
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void reload(), options.debounceMs ?? 100);
  };

  const watchers: FSWatcher[] = [watch(root, { recursive: true }, schedule)];
  if (configPath !== undefined) {
    const configName = configPath.slice(dirname(configPath).length + 1);
    watchers.push(
      watch(dirname(configPath), (_event, name) => {
        if (name === configName) schedule();
      }),
    );
  }
  await reload();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
