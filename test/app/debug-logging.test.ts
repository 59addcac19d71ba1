import { describe, expect, it } from 'vitest';
import type { Adapters, AppLogger } from '../../functions/app/adapters.js';
import { withDebugLogging } from '../../functions/app/debug-logging.js';
import { commandFor } from '../../functions/core/action-command.js';
import type { ActionStore, ClaimResult } from '../../functions/core/ports.js';
import { makeEvent } from '../support/events.js';

const NOW = new Date('2026-11-22T10:00:00.000Z');

/** Just enough of the adapters: a rule set where one rule holds, an action store answering `claims` in turn. */
function adaptersWith(logger: AppLogger, claims: ClaimResult[]): Adapters {
  const actions: Pick<ActionStore, 'claim' | 'complete' | 'release'> = {
    claim: async () => claims.shift() ?? 'claimed',
    complete: async () => {},
    release: async () => {},
  };
  // One loaded rule set, as a rule source answers while the rules stay the same.
  const loaded = {
    ruleSet: { ruleIds: ['faq'], evaluate: async (event: { id: string }) => ({ eventId: event.id, rules: ['faq'], actions: [] }) },
  };
  return {
    logger,
    actions,
    rules: { current: async () => loaded },
  } as unknown as Adapters;
}

function recordingLogger(lines: Array<[string, Record<string, unknown> | undefined]>, withDebug = true): AppLogger {
  return {
    info() {},
    warn() {},
    error() {},
    ...(withDebug ? { debug: (message: string, detail?: Record<string, unknown>) => void lines.push([message, detail]) } : {}),
  };
}

describe('debug logging around the pipeline ports', () => {
  it('without a debug on the logger, hands the adapters over as they are', () => {
    const adapters = adaptersWith(recordingLogger([], false), []);
    expect(withDebugLogging(adapters)).toBe(adapters);
  });

  it('logs each event evaluated and each action ended, by id, never its text or parameters', async () => {
    // Prepare
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const adapters = withDebugLogging(adaptersWith(recordingLogger(lines), ['claimed', 'reclaimed', 'completed']));
    const event = makeEvent({ id: 'telegram:9', platform: 'telegram', kind: 'dm', text: 'my token is abc123' });
    const reply = commandFor(event, { type: 'reply', ruleId: 'faq', index: 0, params: { text: 'secret reply' } }, NOW);
    const tag = commandFor(event, { type: 'tag', ruleId: 'faq', index: 1, params: { tags: ['x'] } }, NOW);

    // Act
    const { ruleSet } = await adapters.rules.current();
    await ruleSet.evaluate(event, { now: NOW, state: undefined as never });
    await adapters.actions.claim(reply, 1000, NOW);
    await adapters.actions.complete(reply.id, { status: 'succeeded', mode: 'sandbox' }, NOW);
    await adapters.actions.claim(tag, 1000, NOW);
    await adapters.actions.release(tag.id, 'timed out', NOW);
    await adapters.actions.claim(reply, 1000, NOW);

    // Assess
    expect(lines).toEqual([
      ['event evaluated', { id: 'telegram:9', platform: 'telegram', kind: 'dm', rules: ['faq'] }],
      ['action completed', { id: reply.id, type: 'reply', rule: 'faq', status: 'succeeded', mode: 'sandbox' }],
      ['action released', { id: tag.id, type: 'tag', rule: 'faq', status: 'released' }],
      ['action skipped', { id: reply.id, type: 'reply', rule: 'faq', status: 'skipped' }],
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/abc123|secret reply|timed out/);
  });

  it('wraps a set of adapters once, and each rule set once while it stays in force', async () => {
    const raw = adaptersWith(recordingLogger([]), []);
    const adapters = withDebugLogging(raw);
    expect(withDebugLogging(raw)).toBe(adapters);
    expect((await adapters.rules.current()).ruleSet).toBe((await adapters.rules.current()).ruleSet);
  });
});
