import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ruleLanguage } from '../functions/app/rule-language.js';
import { loadCompiledRuleSet, toCompiledRuleSetFile } from '../functions/rules/compiled-rule-set.js';
import { compileRuleDirectory, findConfigPath } from '../functions/rules/index.js';
import { REPO_ROOT } from './constructs/foghorn-function.js';

/** A rule set that validated at synth time: the stack ships exactly these files. */
export interface RulesForDeployment {
  /** Absolute path of the rules folder. */
  dir: string;
  /** Absolute path of the foghorn.config.yaml the rules were validated against, if any. */
  configPath?: string;
  /** Absolute path of the validated rule set as one JSON file (functions/rules/compiled-rule-set.ts), which evaluate loads. */
  compiledPath: string;
  /**
   * Absolute path of the team config the rules were validated against (the defaults when there is no
   * foghorn.config.yaml), as JSON: what act, sweep and api read, so no function parses YAML at a cold start.
   */
  teamConfigPath: string;
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
 * Validates the rule set with the rules module, so that `cdk synth` (and so `cdk deploy`) fails with
 * its own message (file, line, rule, problem) instead of shipping broken rules; then writes the
 * validated rules and config as one JSON file and loads that exactly as the evaluate function will.
 * `dir` is relative to the repository root unless absolute.
 */
export async function rulesForDeployment(dir: string): Promise<RulesForDeployment> {
  const absolute = resolve(REPO_ROOT, dir);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) throw new RulesNotDeployableError(absolute, 'it is not a folder');
  const configPath = findConfigPath(absolute);
  try {
    const file = toCompiledRuleSetFile(await compileRuleDirectory(absolute, { extensions: ruleLanguage, configPath }));
    const compiledPath = writeBuildFile(JSON.stringify(file), 'compiled.json');
    const teamConfigPath = writeBuildFile(JSON.stringify(file.config), 'team-config.json');
    const ruleSet = await loadCompiledRuleSet(compiledPath, { extensions: ruleLanguage });
    return { dir: absolute, configPath, compiledPath, teamConfigPath, ruleIds: ruleSet.ruleIds };
  } catch (error) {
    throw new RulesNotDeployableError(absolute, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/**
 * Under node_modules/.cache, named by the content's hash: synths reuse it, and Docker bundling (which
 * sees only the repository) finds it. Written aside and renamed, so a concurrent synth never reads half.
 */
function writeBuildFile(json: string, suffix: string): string {
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'foghorn-rules');
  const path = join(dir, `${createHash('sha256').update(json).digest('hex').slice(0, 16)}.${suffix}`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const staging = `${path}.${process.pid}.tmp`;
    writeFileSync(staging, json);
    renameSync(staging, path);
  }
  return path;
}
