import { type FSWatcher, watch } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findConfigPath } from './config.js';
import { type LoadOptions, loadRuleSet } from './loader.js';
import type { RuleSet } from './ruleset.js';

export interface RuleSetWatcher {
  /** The last rule set that loaded without error (an invalid change leaves it in place). */
  current(): RuleSet | undefined;
  close(): void;
}

export interface WatchOptions extends LoadOptions {
  /** Quiet time after the last change before reloading (editors write files in bursts). */
  debounceMs?: number;
}

/**
 * Loads the rules under `dir` now and again whenever a rule file or the team config changes.
 * `onChange` receives each new good rule set, or the error (usually a RuleValidationError) of a
 * failed reload, in which case `current()` keeps the previous good set.
 */
export async function watchRuleSet(dir: string, onChange: (result: RuleSet | Error) => void, options: WatchOptions = {}): Promise<RuleSetWatcher> {
  const root = resolve(dir);
  const configPath = options.config ? undefined : options.configPath ?? findConfigPath(root);
  let current: RuleSet | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let loading = Promise.resolve();

  const reload = () => {
    loading = loading.then(async () => {
      if (closed) return;
      try {
        const next = await loadRuleSet(root, { ...options, ...(configPath ? { configPath } : {}) });
        if (closed) return;
        current = next;
        onChange(next);
      } catch (error) {
        if (!closed) onChange(error instanceof Error ? error : new Error(String(error)));
      }
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
    watchers.push(watch(dirname(configPath), (_event, name) => { if (name === configName) schedule(); }));
  }
  await reload();
  return {
    current: () => current,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
