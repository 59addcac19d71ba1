import { resolve } from 'node:path';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { isDuration, parseDuration } from '../../functions/core/duration.js';
import { type FoghornConfig, findConfigPath, parseFoghornConfig, readFoghornConfig } from '../../functions/rules/index.js';
import { type CliIo, UsageError } from '../io.js';

/** The rules folder: the argument, else FOGHORN_RULES, else ./rules. */
export function rulesDirFrom(given: string | undefined, io: CliIo): string {
  return resolve(io.cwd, given ?? io.env.FOGHORN_RULES ?? 'rules');
}

/** The team config: --config, else FOGHORN_CONFIG, else the nearest foghorn.config.yaml. */
export function configFor(rulesDir: string, given: string | undefined, io: CliIo): FoghornConfig {
  const path = given !== undefined ? resolve(io.cwd, given) : findConfigPath(rulesDir, io.env);
  return path === undefined
    ? parseFoghornConfig({}, undefined, { extensions: ruleLanguage })
    : readFoghornConfig(path, { extensions: ruleLanguage });
}

/** `--now`: an ISO time, or undefined when absent. */
export function isoOption(name: string, given: string | undefined): Date | undefined {
  if (given === undefined) return undefined;
  const at = new Date(given);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--${name} '${given}' is not an ISO time such as 2026-01-05T10:00:00Z`);
  return at;
}

/**
 * `--since` and `--until`: an ISO time, or a duration back from `now` in the one duration grammar (core/duration.ts:
 * 30m, 24h, 7d), as the ISO time it names; resolved once, so every page of a listing asks for the same window.
 */
export function timeOption(name: string, given: string | undefined, now: Date): string | undefined {
  if (given === undefined) return undefined;
  if (isDuration(given)) return new Date(now.getTime() - parseDuration(given)).toISOString();
  const at = new Date(given);
  if (!/^\d{4}-\d{2}-\d{2}/.test(given.trim()) || Number.isNaN(at.getTime()))
    throw new UsageError(`--${name} '${given}' is neither an ISO time such as 2026-01-05T10:00:00Z nor a duration such as 30m, 24h or 7d`);
  return at.toISOString();
}
