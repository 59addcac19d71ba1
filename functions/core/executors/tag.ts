import type { ActionExecutor } from '../act.js';

/** `tag`: labels stored on the event, written with the action's completion (one write). */
export function tagExecutor(): ActionExecutor {
  return async (command) => {
    const raw = command.params.tags;
    const tags = (Array.isArray(raw) ? raw : [raw]).filter((tag): tag is string => typeof tag === 'string' && tag.length > 0);
    return {
      status: 'succeeded',
      ...(tags.length > 0 ? { effects: { tags: { eventId: command.eventId, tags: [...new Set(tags)] } } } : {}),
    };
  };
}
