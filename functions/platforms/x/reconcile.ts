import type { ActionCommand } from '../../core/action-command.js';
import { type ConnectorContext, credential, type Reconciliation } from '../../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { comparableText, RECONCILE_MARGIN_MS, RECONCILE_MAX_PAGES, uniqueMatch } from '../shared/unique-match.js';
import { buildXRequest, DEFAULT_X_API_URL, X_API_URL, X_BEARER_TOKEN } from './client.js';
import { X, X_USER_ID } from './normalise.js';

interface XPost {
  id?: string;
  text?: string;
  created_at?: string;
  referenced_tweets?: Array<{ type?: string; id?: string }>;
}

interface TimelineAnswer {
  data?: XPost[];
  meta?: { result_count?: number; next_token?: string };
  title?: string;
  detail?: string;
  errors?: Array<{ message?: string; detail?: string }>;
}

/**
 * Whether a command's reply or post is on X already. X keeps no metadata on a post, so the account's own posts
 * since the command was decided (`GET /2/users/:id/tweets` with `start_time`, retweets excluded) are searched for
 * the request's exact text (as X shows it back: `&amp;` unescaped, links as t.co, a reply's leading @handles
 * dropped) answering the same post (`referenced_tweets` `replied_to`), or, for a post, referencing none. Exactly one
 * is found; two identical ones throw (the action is held). Needs `tweet.read` and `users.read` on the token.
 * A direct message is not read back: it throws, so the action is held.
 */
export async function reconcileX(
  command: ActionCommand,
  context: ConnectorContext & { send: (request: OutboundRequest) => Promise<OutboundResponse> },
): Promise<Reconciliation> {
  const sent = buildXRequest(command, context);
  if (!/\/2\/tweets$/.test(sent.url)) throw new Error('X direct messages are not read back (no read of the conversation)');
  const { text, reply } = JSON.parse(sent.body ?? '{}') as { text: string; reply?: { in_reply_to_tweet_id?: string } };
  const userId = context.settings.get(X_USER_ID) ?? (command.event.platform === X ? command.event.channel.id : undefined);
  if (!userId) throw new Error(`the account whose posts to read is not known (set ${X_USER_ID})`);
  const since = Date.parse(command.createdAt) - RECONCILE_MARGIN_MS;
  const base = (context.settings.get(X_API_URL) ?? DEFAULT_X_API_URL).replace(/\/+$/, '');
  const wanted = comparable(text);
  const answering = reply?.in_reply_to_tweet_id;
  const matches: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < RECONCILE_MAX_PAGES; page++) {
    const params = new URLSearchParams({
      max_results: '100',
      // X takes second granularity, no milliseconds.
      start_time: new Date(Math.floor(since / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      exclude: 'retweets',
      'tweet.fields': 'created_at,referenced_tweets',
      ...(token ? { pagination_token: token } : {}),
    });
    const response = await context.send({
      method: 'GET',
      url: `${base}/2/users/${encodeURIComponent(userId)}/tweets?${params}`,
      headers: { authorization: `Bearer ${credential(context.settings, X_BEARER_TOKEN)}` },
    });
    const answer = parse(response.body);
    if (response.status !== 200 || !answer) {
      const reason = answer?.detail ?? answer?.errors?.[0]?.message ?? answer?.title ?? response.body.slice(0, 200);
      throw new Error(`X GET /2/users/${userId}/tweets answered ${response.status}: ${reason}`);
    }
    for (const post of answer.data ?? []) {
      if (typeof post.id !== 'string' || typeof post.text !== 'string') continue;
      const created = Date.parse(post.created_at ?? '');
      if (!Number.isNaN(created) && created < since) continue;
      // A reply answers that post; a post of Foghorn's references none (a quote or retweet is not one).
      const refs = post.referenced_tweets ?? [];
      const same = answering ? refs.some((ref) => ref.type === 'replied_to' && ref.id === answering) : refs.length === 0;
      if (same && comparable(post.text) === wanted) matches.push(post.id);
    }
    token = answer.meta?.next_token;
    if (!token) return uniqueMatch(matches, `X posts of ${userId} since ${new Date(since).toISOString()}`);
  }
  throw new Error(`X: more than ${RECONCILE_MAX_PAGES} pages of posts since the command; too many to be sure`);
}

/** The text as X shows it back: HTML entities of `&`, `<`, `>` unescaped, every link one token, leading @handles dropped. */
function comparable(text: string): string {
  const unescaped = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return comparableText(unescaped.replace(/https?:\/\/\S+/g, '<link>').replace(/^(?:@\w{1,15}\s+)+/, ''));
}

function parse(body: string): TimelineAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as TimelineAnswer) : undefined;
  } catch {
    return undefined;
  }
}
