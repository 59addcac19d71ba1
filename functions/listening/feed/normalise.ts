import { createHash } from 'node:crypto';
import { parseFeed } from 'feedsmith';
import type { CanonicalEvent } from '../../core/event.js';
import { canonicalUrl } from '../canonical-url.js';
import type { ListenSourceConfig } from '../config.js';

/** One entry of an RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed document, in the terms the event needs. */
export interface FeedEntry {
  /** What identifies the entry across fetches: its canonical link, else its guid or id. */
  key: string;
  link?: string;
  title?: string;
  text: string;
  author?: string;
  /** Milliseconds since the epoch; undefined when the feed gives no date. */
  published?: number;
}

export interface ParsedFeed {
  format: string;
  title?: string;
  entries: FeedEntry[];
}

/** The longest event id kept readable; a longer canonical link is hashed. */
const MAX_KEY = 400;
const MAX_TEXT = 20_000;

/**
 * Parses a feed document with feedsmith (it detects the format: RSS 2.0, RDF, Atom or JSON Feed) and reads each
 * entry leniently: a field absent or of another shape is left out, never guessed. Throws feedsmith's error for a
 * document that is none of them.
 */
export function parseFeedDocument(body: string): ParsedFeed {
  const { format, feed } = parseFeed(body) as { format: string; feed: Record<string, unknown> };
  const items = (format === 'atom' ? feed.entries : feed.items) as unknown;
  const entries: FeedEntry[] = [];
  for (const item of Array.isArray(items) ? items : []) {
    const entry = entryOf(item as Record<string, unknown>);
    if (entry) entries.push(entry);
  }
  const title = textOf(feed.title);
  return { format, ...(title ? { title } : {}), entries };
}

function entryOf(item: Record<string, unknown>): FeedEntry | undefined {
  const link = linkOf(item);
  const guid = textOf(item.guid) ?? textOf(item.id);
  const canonical = link ? canonicalUrl(link) : undefined;
  const key = canonical ?? guid;
  if (!key) return undefined;
  const title = textOf(item.title);
  const body =
    textOf(item.content_text) ??
    textOf(item.summary) ??
    textOf(item.description) ??
    textOf(item.content) ??
    textOf(item.content_html) ??
    textOf((item.content as Record<string, unknown> | undefined)?.encoded);
  const text = [title, body ? plainText(body) : undefined].filter((part) => part && part !== '').join('\n\n');
  const author = authorOf(item);
  const published = dateOf(item.pubDate ?? item.published ?? item.date_published ?? item.updated ?? item.date_modified ?? dcDate(item));
  return {
    key,
    ...(link ? { link } : {}),
    ...(title ? { title } : {}),
    text: text.slice(0, MAX_TEXT),
    ...(author ? { author } : {}),
    ...(published !== undefined ? { published } : {}),
  };
}

/** The event of one entry: a `post`, keyed by its canonical link so the same article from two feeds is one event. */
export function feedEntryToEvent(
  entry: FeedEntry,
  feed: { url: string; title?: string },
  config: ListenSourceConfig,
  now: Date,
): CanonicalEvent {
  const at = now.toISOString();
  const createdAt = entry.published !== undefined && entry.published <= now.getTime() ? new Date(entry.published).toISOString() : at;
  const host = hostOf(entry.link ?? feed.url);
  const authorId = entry.author ?? feed.title ?? host;
  const self = config.self.some((name) => name.toLowerCase() === authorId.toLowerCase());
  return {
    id: feedEventId(entry.key),
    platform: 'feed',
    kind: 'post',
    text: entry.text,
    author: { id: authorId, ...(entry.author ? { name: entry.author } : {}), ...(self ? { isSelf: true } : {}) },
    channel: { id: feed.url, ...(feed.title ? { name: feed.title } : {}) },
    thread: {},
    createdAt,
    receivedAt: at,
    ...(entry.link ? { url: entry.link } : {}),
    meta: {
      source: config.id,
      feed: feed.url,
      ...(entry.title ? { title: entry.title } : {}),
      ...(entry.link && canonicalUrl(entry.link) ? { canonicalUrl: canonicalUrl(entry.link) } : {}),
    },
  };
}

/** `feed:<canonical link>` (or guid), hashed when too long for a readable id. */
export function feedEventId(key: string): string {
  return key.length <= MAX_KEY ? `feed:${key}` : `feed:sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function linkOf(item: Record<string, unknown>): string | undefined {
  if (typeof item.link === 'string') return item.link;
  if (typeof item.url === 'string') return item.url;
  if (Array.isArray(item.links)) {
    const links = item.links as Array<{ href?: unknown; rel?: unknown }>;
    const alternate = links.find((one) => typeof one.href === 'string' && (one.rel === undefined || one.rel === 'alternate'));
    if (alternate && typeof alternate.href === 'string') return alternate.href;
  }
  const guid = item.guid as { value?: unknown; isPermaLink?: unknown } | undefined;
  if (guid && typeof guid.value === 'string' && guid.isPermaLink !== false && /^https?:\/\//.test(guid.value)) return guid.value;
  return undefined;
}

function authorOf(item: Record<string, unknown>): string | undefined {
  const authors = item.authors;
  if (Array.isArray(authors)) {
    for (const one of authors as unknown[]) {
      if (typeof one === 'string' && one !== '') return one;
      const record = one as { name?: unknown; email?: unknown } | null;
      if (record && typeof record.name === 'string' && record.name !== '') return record.name;
      if (record && typeof record.email === 'string' && record.email !== '') return record.email;
    }
  }
  const creator = (item.dc as { creator?: unknown; creators?: unknown } | undefined)?.creator;
  return typeof creator === 'string' && creator !== '' ? creator : undefined;
}

function dcDate(item: Record<string, unknown>): unknown {
  return (item.dc as { date?: unknown } | undefined)?.date;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (value && typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string')
    return textOf((value as { value: string }).value);
  return undefined;
}

function dateOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function hostOf(link: string): string {
  try {
    return new URL(link).host.toLowerCase();
  } catch {
    return link;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** An HTML description as text for the rules: tags dropped, the common entities read, whitespace folded. */
export function plainText(html: string): string {
  return (
    html
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      // Block elements part words; inline ones (a, span, em) sit inside them: `#<span>tag</span>` stays `#tag`.
      .replace(/<\/?(p|br|div|li|ul|ol|h[1-6]|blockquote|pre|tr|td|th|table|hr)\b[^>]*>/gi, ' ')
      .replace(/<[^>]*>/g, '')
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
        if (name.startsWith('#x') || name.startsWith('#X')) return safeCodePoint(Number.parseInt(name.slice(2), 16), whole);
        if (name.startsWith('#')) return safeCodePoint(Number.parseInt(name.slice(1), 10), whole);
        return ENTITIES[name.toLowerCase()] ?? whole;
      })
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}
