import type { LambdaEnvironment } from '../aws/lambda-environment.js';
import { type FoghornConfig, findConfigPath, parseFoghornConfig, readFoghornConfig } from '../rules/config.js';
import { ruleLanguage } from './rule-language.js';

/** The team config a function ships with (FOGHORN_CONFIG, else next to its rules), or the defaults when it ships none. */
export function readBundledTeamConfig(env: LambdaEnvironment): FoghornConfig {
  const path = env.configPath ?? findConfigPath(env.rulesDir, env.values);
  return path === undefined
    ? parseFoghornConfig({}, undefined, { extensions: ruleLanguage })
    : readFoghornConfig(path, { extensions: ruleLanguage });
}
