import { describe, expect, it } from 'vitest';
import type { ActionCommand } from '../../../functions/core/action-command.js';
import { tagExecutor } from '../../../functions/core/executors/tag.js';
import { makeEvent } from '../../support/events.js';

const tagging = (tags: unknown): ActionCommand => ({
  id: 'act_t',
  eventId: 'generic:e1',
  ruleId: 'r',
  index: 0,
  type: 'tag',
  params: { tags },
  event: makeEvent(),
  createdAt: '2026-11-22T10:00:00.000Z',
});

describe('tagExecutor', () => {
  it("returns the tags as an effect of the action's completion, each once, writing nothing itself", async () => {
    expect(await tagExecutor()(tagging(['vip', 'vip', '', 3, 'complaint']))).toEqual({
      status: 'succeeded',
      effects: { tags: { eventId: 'generic:e1', tags: ['vip', 'complaint'] } },
    });
    expect(await tagExecutor()(tagging('vip'))).toEqual({
      status: 'succeeded',
      effects: { tags: { eventId: 'generic:e1', tags: ['vip'] } },
    });
  });

  it('has no effect without a tag', async () => {
    expect(await tagExecutor()(tagging([]))).toEqual({ status: 'succeeded' });
  });
});
