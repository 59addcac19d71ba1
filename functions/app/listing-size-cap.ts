/**
 * A listing's answer kept under Lambda's response limit (6 MB for a synchronous invocation, counted on the JSON the
 * function returns, where the body is a string with its quotes escaped): 10,000 audit lines or events with long texts
 * pass it. Such a page is cut by bytes, and its `next` is a page cursor saying where the cut fell: the listing's own
 * cursor (or none) and how many of that page's items were already sent. Asked for again with it, the same page is
 * read (same filters, same limit) and the items already sent are skipped, so nothing is lost or sent twice, and the
 * stores never learn of it.
 */

/** What is left for the body: 6 MB less the envelope (status, headers) and a margin for escaping we do not count. */
export const MAX_LISTING_BODY_BYTES = 5_500_000;

const PAGE_CURSOR_PREFIX = 'pg';

interface PageCursor {
  /** The listing's own cursor of the page that was cut, or null for its first page. */
  cursor: string | null;
  /** Items of that page already sent. */
  skip: number;
}

/** The listing's own cursor and the items to skip, when `cursor` is a page cursor; undefined otherwise. */
export function readPageCursor(cursor: string | null): PageCursor | undefined {
  if (!cursor?.startsWith(PAGE_CURSOR_PREFIX)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(PAGE_CURSOR_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { page, cursor: own, skip } = (parsed ?? {}) as { page?: unknown; cursor?: unknown; skip?: unknown };
  if (page !== 1 || !(own === null || typeof own === 'string') || typeof skip !== 'number' || !Number.isInteger(skip) || skip < 1)
    return undefined;
  return { cursor: own, skip };
}

export function pageCursor(page: PageCursor): string {
  return PAGE_CURSOR_PREFIX + Buffer.from(JSON.stringify({ page: 1, ...page }), 'utf8').toString('base64url');
}

/**
 * The answer's body with the items already sent skipped and, when it is still over `maxBytes`, cut to fit with a page
 * cursor as its `next`. A body that is not a listing (no single array of items) is given back as it is.
 */
export function capListing(
  body: unknown,
  page: PageCursor | undefined,
  ownCursor: string | null,
  maxBytes = MAX_LISTING_BODY_BYTES,
): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const arrays = Object.entries(body).filter(([, value]) => Array.isArray(value));
  if (arrays.length !== 1) return body;
  const [field, all] = arrays[0] as [string, unknown[]];
  const skip = page?.skip ?? 0;
  const items = skip > 0 ? all.slice(skip) : all;
  const rest = { ...(body as Record<string, unknown>), [field]: items };
  if (items.length === 0 || escapedBytes(rest) <= maxBytes) return rest;

  const next = pageCursor({ cursor: ownCursor, skip: 0 });
  let used = escapedBytes({ ...rest, [field]: [], next });
  let kept = 0;
  for (const item of items) {
    const size = escapedBytes(item) + 1;
    if (used + size > maxBytes) break;
    used += size;
    kept += 1;
  }
  // One item over the limit on its own still goes out alone: a page that sends nothing would never end.
  kept = Math.max(kept, 1);
  return { ...rest, [field]: items.slice(0, kept), next: pageCursor({ cursor: ownCursor, skip: skip + kept }) };
}

/** The bytes a value takes inside the body string of the function's JSON answer (its quotes and backslashes escaped). */
function escapedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(value) ?? 'null')) - 2;
}
