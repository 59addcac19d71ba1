import { type CanonicalEvent, markRepublished } from '../core/event.js';
import type { EventPublisher, EventStore } from '../core/ports.js';

/**
 * Stores an event Foghorn made itself (an SLA breach) and puts it on the bus, once: a second emit of the
 * same id (after a crash in between) publishes it again, marked, and evaluation finds its decision. A store
 * that is its own outbox put it on the bus in the write that stored it.
 */
export async function emitEvent(
  to: { events: Pick<EventStore, 'putIfAbsent'>; bus: EventPublisher },
  event: CanonicalEvent,
): Promise<void> {
  const stored = await to.events.putIfAbsent(event);
  if (stored.published) return;
  await to.bus.publish([stored.created ? event : markRepublished(event)]);
}
