import { describe, expect, it } from 'vitest';
import { actionCommandId } from '../../functions/core/action-command.js';
import { eventId } from '../../functions/core/event.js';

describe('ids', () => {
  it('scopes event ids by platform', () => {
    expect(eventId('telegram', 42)).toBe('telegram:42');
    expect(eventId('x', '42')).not.toBe(eventId('telegram', '42'));
  });

  it('derives the same command id from the same event, rule and index, and a different one otherwise', () => {
    const id = actionCommandId('generic:1', 'faq', 0);
    expect(actionCommandId('generic:1', 'faq', 0)).toBe(id);
    expect(actionCommandId('generic:1', 'faq', 1)).not.toBe(id);
    expect(actionCommandId('generic:1', 'faq2', 0)).not.toBe(id);
    // No separator collision: ("a:b", "c") and ("a", "b:c") are different inputs.
    expect(actionCommandId('a', 'b\u0000c', 0)).not.toBe(actionCommandId('a\u0000b', 'c', 0));
    expect(id).toMatch(/^act_[A-Za-z0-9_-]{32}$/);
  });
});
