import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { ClaimCrisisChecks } from '../../../functions/storage/dynamo/claim-crisis-checks.js';

const reply = { id: 'c1', type: 'reply' } as ActionCommand;
const tag = { id: 'c2', type: 'tag' } as ActionCommand;

describe('ClaimCrisisChecks', () => {
  it('wants a check for guarded commands only', () => {
    const checks = new ClaimCrisisChecks((command) => command.type === 'reply');
    expect(checks.wanted(reply)).toBe(true);
    expect(checks.wanted(tag)).toBe(false);
  });

  it('wants none for five seconds after the switch was seen on, and again once it is seen off', () => {
    let now = 1_000_000;
    const checks = new ClaimCrisisChecks(
      (command) => command.type === 'reply',
      () => now,
    );
    checks.saw(true);
    expect(checks.wanted(reply)).toBe(false);
    now += 4_999;
    expect(checks.wanted(reply)).toBe(false);
    now += 1;
    expect(checks.wanted(reply)).toBe(true);
    checks.saw(true);
    expect(checks.wanted(reply)).toBe(false);
    checks.saw(false);
    expect(checks.wanted(reply)).toBe(true);
  });

  it('answers a noted claim once', () => {
    const checks = new ClaimCrisisChecks(() => true);
    checks.note('c1');
    expect(checks.take('c1')).toBe(true);
    expect(checks.take('c1')).toBe(false);
  });
});
