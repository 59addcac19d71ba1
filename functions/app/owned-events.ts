import { type OwnerView, ownerView } from '../assignment/assignments.js';
import type { AssignmentStore } from '../assignment/ports.js';
import { BadQueryError, type ListingQuery } from '../core/api-query.js';
import type { CanonicalEvent } from '../core/event.js';
import { ticketConversation } from '../crisis/conversation.js';
import type { ListingPage } from './console-insights.js';

/** How many of the store's pages one filtered answer reads at most: a sparse filter answers with `next` to go on. */
const PAGES_PER_ANSWER = 10;

/** A listed event with its conversation's owner, when it has one. */
export type OwnedEvent = CanonicalEvent & { owner?: OwnerView };

/**
 * The events listing with each event's conversation owner, filtered by `owner=` (a person) and `team=`. The owners
 * of a page are read at once (one read per conversation, no scan). A filtered answer reads the store's pages until it
 * has `limit` events, the listing ends, or it read PAGES_PER_ANSWER pages; it may then hold fewer, with `next`.
 */
export function withOwners(list: ListingPage<CanonicalEvent>, store: AssignmentStore | undefined): ListingPage<OwnedEvent> {
  return async (query: ListingQuery) => {
    const filtering = query.owner !== undefined || query.team !== undefined;
    if (!store) {
      if (filtering)
        throw new BadQueryError(
          query.owner !== undefined ? 'owner' : 'team',
          'absent: this runtime has no assignment store',
          query.owner ?? query.team ?? '',
        );
      return list(query);
    }
    const items: OwnedEvent[] = [];
    let cursor = query.cursor;
    let next: string | undefined;
    for (let pages = 0; pages < PAGES_PER_ANSWER; pages++) {
      const { cursor: _cursor, ...rest } = query;
      const page = await list({ ...rest, limit: query.limit - items.length, ...(cursor ? { cursor } : {}) });
      const owners = await store.owners([...new Set(page.items.map(ticketConversation))]);
      for (const event of page.items) {
        const owner = owners.get(ticketConversation(event));
        if (query.owner !== undefined && owner?.person !== query.owner) continue;
        if (query.team !== undefined && owner?.team !== query.team) continue;
        items.push(owner ? { ...event, owner: ownerView(owner) } : event);
      }
      next = page.next;
      cursor = next;
      if (!filtering || items.length >= query.limit || !next) break;
    }
    return { items, ...(next ? { next } : {}) };
  };
}
