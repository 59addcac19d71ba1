import type { ActionExecutor } from '../act.js';
import type { EventStore } from '../ports.js';

/** `tag`: labels stored on the event. */
export function tagExecutor(events: Pick<EventStore, 'addTags'>): ActionExecutor {
  return async (command) => {
    const raw = command.params.tags;
    const tags = (Array.isArray(raw) ? raw : [raw]).filter((tag): tag is string => typeof tag === 'string' && tag.length > 0);
    await events.addTags(command.eventId, tags);
    return { status: 'succeeded' };
  };
}
