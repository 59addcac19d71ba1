import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { findConfigPath, loadRuleSet } from '../functions/rules/index.js';
import { REPO_ROOT } from './constructs/foghorn-function.js';

/** A rule set that validated at synth time: the stack ships exactly these files. */
export interface RulesForDeployment {
  /** Absolute path of the rules folder. */
  dir: string;
  /** Absolute path of the foghorn.config.yaml the rules were validated against, if any. */
  configPath?: string;
  ruleIds: readonly string[];
}

/** The deployment is refused because its rule set does not load. */
export class RulesNotDeployableError extends Error {
  constructor(dir: string, reason: string, options?: { cause?: unknown }) {
    super(`the rule set in ${dir} cannot be deployed: ${reason}`, options);
    this.name = 'RulesNotDeployableError';
  }
}

/**
 * Loads the rule set exactly as the evaluate function will, so that `cdk synth` (and so `cdk deploy`)
 * fails with the rules module's own message (file, line, rule, problem) instead of shipping broken rules.
 * `dir` is relative to the repository root unless absolute.
 */
export async function rulesForDeployment(dir: string): Promise<RulesForDeployment> {
  const absolute = resolve(REPO_ROOT, dir);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) throw new RulesNotDeployableError(absolute, 'it is not a folder');
  const configPath = findConfigPath(absolute);
  try {
    const ruleSet = await loadRuleSet(absolute, { configPath });
    return { dir: absolute, configPath, ruleIds: ruleSet.ruleIds };
  } catch (error) {
    throw new RulesNotDeployableError(absolute, error instanceof Error ? error.message : String(error), { cause: error });
  }
}
