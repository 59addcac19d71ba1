import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { type FoghornConfig, findConfigPath, parseFoghornConfig, readFoghornConfig } from '../../functions/rules/index.js';
import { type CliIo, UsageError } from '../io.js';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

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
