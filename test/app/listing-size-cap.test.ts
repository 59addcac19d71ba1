import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/app/api-handler.js';
import { capListing, MAX_LISTING_BODY_BYTES, pageCursor, readPageCursor } from '../../functions/app/listing-size-cap.js';
import type { ApiRoute } from '../../functions/crisis/crisis-api-routes.js';

/** Lambda's response limit for a synchronous invocation (API Gateway's proxy integration): 6 MB. */
const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

function get(routeKey: string, query = ''): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1]!,
    rawQueryString: query,
    headers: {},
    requestContext: { http: { method: 'GET' } } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
  };
}

/** A listing route paged by its own cursor (the index of the next item), as the stores' listings are. */
function pagedListing(items: ReadonlyArray<{ id: string; text: string }>): ApiRoute {
  return {
    method: 'GET',
    path: '/api/events',
    handle: async ({ query }) => {
      const limit = Number(query.get('limit') ?? 100);
      const cursor = query.get('cursor');
      if (cursor !== null && !/^c[0-9]+$/.test(cursor)) return { status: 400, body: { error: `bad cursor ${cursor}`, detail: null } };
      const from = cursor === null ? 0 : Number(cursor.slice(1));
      const page = items.slice(from, from + limit);
      return { status: 200, body: { events: page, next: from + limit < items.length ? `c${from + limit}` : null } };
    },
  };
}

/** Follows `next` from the first page to the last, as the console does. */
async function walk(handler: ReturnType<typeof createApiHandler>, limit: number) {
  const pages: Array<{ bytes: number; ids: string[] }> = [];
  let next: string | null = null;
  do {
    const query: string = `limit=${limit}${next === null ? '' : `&cursor=${next}`}`;
    const result = await handler(get('GET /api/events', query));
    expect(result.statusCode, String(result.body).slice(0, 200)).toBe(200);
    const body = JSON.parse(result.body as string) as { events: Array<{ id: string }>; next: string | null };
    pages.push({ bytes: Buffer.byteLength(JSON.stringify(result)), ids: body.events.map((event) => event.id) });
    next = body.next;
    expect(pages.length).toBeLessThan(1_000);
  } while (next !== null);
  return pages;
}

describe('listing size cap', () => {
  it('cuts 10,000 long items under Lambda’s 6 MB response limit and gives every item once, in order, across the pages', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ id: `e-${i}`, text: `"${'ü'.repeat(400)}" line ${i}` }));
    const handler = createApiHandler({ routes: [pagedListing(items)] });
    const pages = await walk(handler, 10_000);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.bytes).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
    expect(pages.flatMap((page) => page.ids)).toEqual(items.map((item) => item.id));
  });

  it("continues across the listing's own pages when one of them is cut, with a small cap", async () => {
    const items = Array.from({ length: 57 }, (_, i) => ({ id: `e-${i}`, text: 'x'.repeat(100 + (i % 7) * 40) }));
    const handler = createApiHandler({ routes: [pagedListing(items)], maxListingBytes: 1_500 });
    const pages = await walk(handler, 20);
    for (const page of pages) expect(page.ids.length).toBeGreaterThan(0);
    expect(pages.flatMap((page) => page.ids)).toEqual(items.map((item) => item.id));
    // Nothing to cut: the listing's own answer as it was, its own next included.
    const whole = await createApiHandler({ routes: [pagedListing(items)] })(get('GET /api/events', 'limit=20'));
    expect(JSON.parse(whole.body as string)).toEqual({ events: items.slice(0, 20), next: 'c20' });
  });

  it('sends an item too large for any page alone, rather than a page that never ends', () => {
    const body = { audit: [{ line: 'y'.repeat(5_000) }, { line: 'short' }] };
    const cut = capListing(body, undefined, null, 1_000) as { audit: unknown[]; next: string };
    expect(cut.audit).toEqual([body.audit[0]]);
    expect(readPageCursor(cut.next)).toEqual({ cursor: null, skip: 1 });
  });

  it('leaves answers that are not one listing alone, and reads only its own page cursors', () => {
    const two = { events: ['a'.repeat(50)], actions: ['b'.repeat(50)] };
    expect(capListing(two, undefined, null, 10)).toBe(two);
    expect(capListing('text', undefined, null, 1)).toBe('text');
    expect(readPageCursor(pageCursor({ cursor: 'c40', skip: 3 }))).toEqual({ cursor: 'c40', skip: 3 });
    expect(pageCursor({ cursor: 'c40', skip: 3 })).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const other of [null, 'c40', 'pgnot-base64', `pg${Buffer.from('{"page":1,"cursor":null,"skip":0}').toString('base64url')}`])
      expect(readPageCursor(other), String(other)).toBeUndefined();
    expect(MAX_LISTING_BODY_BYTES).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
  });
});
