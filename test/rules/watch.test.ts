import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import {
  type CompiledRules,
  createRuleSet,
  RuleConfigError,
  RuleValidationError,
  watchRuleDirectory,
} from '../../functions/rules/index.js';
import { ruleDir } from './support.js';

const rule = (id: string) =>
  `id: ${id}\nwhen: { all: [{ fact: text, operator: containsAny, value: [hello] }] }\nthen: [{ tag: greeting }]\n`;

function nextChange(): { promise: Promise<CompiledRules | Error>; handler: (result: CompiledRules | Error) => void; count: () => number } {
  const queue: Array<CompiledRules | Error> = [];
  const waiters: Array<(result: CompiledRules | Error) => void> = [];
  let count = 0;
  const handler = (result: CompiledRules | Error) => {
    count++;
    const waiter = waiters.shift();
    if (waiter) waiter(result);
    else queue.push(result);
  };
  return {
    handler,
    count: () => count,
    get promise() {
      const queued = queue.shift();
      return queued ? Promise.resolve(queued) : new Promise<CompiledRules | Error>((resolve) => waiters.push(resolve));
    },
  };
}

const ruleIds = (result: CompiledRules | Error) => {
  if (result instanceof Error) throw result;
  return createRuleSet(result.rules, result.config, result.text).ruleIds;
};

/** A team config next to the rules, so the watcher finds it and watches it. */
function workspace(rules: Record<string, string>, config: string): { dir: string; configPath: string } {
  const root = mkdtempSync(join(tmpdir(), 'foghorn-watch-'));
  const configPath = join(root, 'foghorn.config.yaml');
  writeFileSync(configPath, config);
  const dir = ruleDir(rules);
  return { dir, configPath };
}

describe('watchRuleDirectory', () => {
  it('compiles once at the start and once per change; an invalid change arrives as a RuleValidationError', async () => {
    // Prepare
    const { dir, configPath } = workspace({ 'a.yaml': rule('rule-a') }, 'timezone: Europe/London\n');
    const changes = nextChange();
    const watcher = await watchRuleDirectory(dir, changes.handler, { extensions: ruleLanguage, configPath, debounceMs: 20 });
    try {
      expect(changes.count()).toBe(1);
      expect(ruleIds(await changes.promise)).toEqual(['rule-a']);
      // Act: a valid change
      writeFileSync(join(dir, 'b.yaml'), rule('rule-b'));
      // Assess
      expect(ruleIds(await changes.promise)).toEqual(['rule-a', 'rule-b']);
      // Act: an invalid change
      writeFileSync(join(dir, 'c.yaml'), 'id: Bad Id\n');
      const failure = await changes.promise;
      // Assess: the problems, not a compilation the caller could mistake for good rules
      expect(failure).toBeInstanceOf(RuleValidationError);
      expect((failure as RuleValidationError).message).toMatch(/c\.yaml/);
      // Act: the fix
      writeFileSync(join(dir, 'c.yaml'), rule('rule-c'));
      // Assess
      expect(ruleIds(await changes.promise)).toEqual(['rule-a', 'rule-b', 'rule-c']);
    } finally {
      watcher.close();
    }
  });

  it('re-reads the team config on each reload; a config that fails to parse arrives as its error', async () => {
    // Prepare
    const { dir, configPath } = workspace({ 'a.yaml': rule('rule-a') }, 'timezone: Europe/London\n');
    const changes = nextChange();
    const watcher = await watchRuleDirectory(dir, changes.handler, { extensions: ruleLanguage, configPath, debounceMs: 20 });
    try {
      const first = await changes.promise;
      expect(first instanceof Error ? first : first.config.timezone).toBe('Europe/London');
      // Act: a crisis section the crisis extension refuses
      writeFileSync(configPath, 'timezone: Europe/London\ncrisis: { approvals: { expireAfter: tomorrow } }\n');
      const failure = await changes.promise;
      // Assess
      expect(failure).toBeInstanceOf(RuleConfigError);
      expect((failure as Error).message).toMatch(/crisis\.approvals\.expireAfter/);
      // Act: a good config
      writeFileSync(configPath, 'timezone: Asia/Tehran\n');
      const next = await changes.promise;
      // Assess
      expect(next instanceof Error ? next : next.config.timezone).toBe('Asia/Tehran');
    } finally {
      watcher.close();
    }
  });
});
