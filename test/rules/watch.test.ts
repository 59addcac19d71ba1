import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RuleSet, RuleValidationError, watchRuleSet } from '../../functions/rules/index.js';
import { ruleDir, testConfig } from './support.js';

const rule = (id: string) => `id: ${id}\nwhen: { all: [{ fact: text, operator: containsAny, value: [hello] }] }\nthen: [{ tag: greeting }]\n`;

function nextChange(): { promise: Promise<RuleSet | Error>; handler: (result: RuleSet | Error) => void } {
  const queue: Array<RuleSet | Error> = [];
  const waiters: Array<(result: RuleSet | Error) => void> = [];
  const handler = (result: RuleSet | Error) => {
    const waiter = waiters.shift();
    if (waiter) waiter(result); else queue.push(result);
  };
  return {
    handler,
    get promise() {
      const queued = queue.shift();
      return queued ? Promise.resolve(queued) : new Promise<RuleSet | Error>((resolve) => waiters.push(resolve));
    },
  };
}

describe('watchRuleSet', () => {
  it('reloads on change and keeps the previous good set when a change is invalid', async () => {
    // Prepare
    const dir = ruleDir({ 'a.yaml': rule('rule-a') });
    const changes = nextChange();
    const watcher = await watchRuleSet(dir, changes.handler, { config: testConfig(), debounceMs: 20 });
    try {
      expect(((await changes.promise) as RuleSet).ruleIds).toEqual(['rule-a']);
      // Act: a valid change
      writeFileSync(join(dir, 'b.yaml'), rule('rule-b'));
      // Assess
      expect(((await changes.promise) as RuleSet).ruleIds).toEqual(['rule-a', 'rule-b']);
      // Act: an invalid change
      writeFileSync(join(dir, 'c.yaml'), 'id: Bad Id\n');
      const failure = await changes.promise;
      // Assess
      expect(failure).toBeInstanceOf(RuleValidationError);
      expect(watcher.current()?.ruleIds).toEqual(['rule-a', 'rule-b']);
    } finally {
      watcher.close();
    }
  });
});
