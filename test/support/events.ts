import type { CanonicalEvent } from '../../functions/core/event.js';

/** A valid canonical event with sensible defaults; override what the test is about. */
export function makeEvent(overrides: Partial<CanonicalEvent> = {}): CanonicalEvent {
  return {
    id: 'generic:e1',
    platform: 'generic',
    kind: 'message',
    text: 'what are your opening hours?',
    author: { id: 'u1', handle: 'sara', name: 'Sara' },
    channel: { id: 'c1' },
    thread: {},
    createdAt: '2026-11-22T10:00:00.000Z',
    receivedAt: '2026-11-22T10:00:01.000Z',
    ...overrides,
  };
}
