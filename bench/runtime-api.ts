/**
 * What the end-to-end bench reads from the runtime it measures, through its own HTTP API (never its files):
 * /health for queue depths and the store's write counts, the listings for what was stored and done.
 * None of it runs while a load is being timed.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Health {
  queues: Record<string, { total: number }>;
  /** Absent until the runtime reports it. */
  storage?: { engine: string; writes: number; commits: number; reads?: number };
}

export interface ListedAction {
  eventId: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export interface ListedEvent {
  id: string;
  receivedAt: string;
}

export async function health(url: string): Promise<Health> {
  return getJson<Health>(new URL('/health', url));
}

/** Every item of a listing since `since`, page after page (10,000 a page, the API's most). */
export async function listAll<T>(url: string, listing: 'events' | 'actions', since: Date): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page = new URL(`/api/${listing}`, url);
    page.searchParams.set('limit', '10000');
    page.searchParams.set('since', since.toISOString());
    if (cursor) page.searchParams.set('cursor', cursor);
    const body: Record<string, unknown> = await getJson<Record<string, unknown>>(page);
    items.push(...(body[listing] as T[]));
    cursor = (body.next as string | null | undefined) ?? null;
  } while (cursor);
  return items;
}

/**
 * Polls /health until every queue is empty (nothing visible, nothing in flight): every accepted event is then
 * evaluated and every action it decided is complete. False if the depths stop falling for `stallMs`.
 */
export async function waitForQuiet(url: string, stallMs = 30_000, everyMs = 25): Promise<boolean> {
  let lowest = Number.POSITIVE_INFINITY;
  let lastProgress = Date.now();
  for (;;) {
    const depth = Object.values((await health(url)).queues).reduce((sum, queue) => sum + queue.total, 0);
    if (depth === 0) return true;
    if (depth < lowest) {
      lowest = depth;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > stallMs) return false;
    await sleep(everyMs);
  }
}

async function getJson<T>(url: URL): Promise<T> {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`GET ${url.pathname}${url.search} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  return (await response.json()) as T;
}
