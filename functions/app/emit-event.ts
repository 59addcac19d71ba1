import type { CanonicalEvent } from '../core/event.js';
import type { EventPublisher, EventStore } from '../core/ports.js';

/**
 * Stores an event Foghorn made itself (an SLA breach) and puts it on the bus, once: a second emit of
 * the same id finds it stored and published, and one that crashed in between publishes it then.
 */
export async function emitEvent(
  to: { events: Pick<EventStore, 'putIfAbsent' | 'markPublished'>; bus: EventPublisher },
  event: CanonicalEvent,
): Promise<void> {
  const stored = await to.events.putIfAbsent(event);
  if (stored.published) return;
  await to.bus.publish([event]);
  await to.events.markPublished(event.id);
}
