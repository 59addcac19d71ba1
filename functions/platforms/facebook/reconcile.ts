import type { ActionCommand } from '../../core/action-command.js';
import type { ConnectorContext, Reconciliation } from '../../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { readGraphList } from '../meta/graph-read.js';
import { META_PAGE_ID, META_PAGE_TOKEN } from '../meta/settings.js';
import { comparableText, RECONCILE_MARGIN_MS, uniqueMatch } from '../shared/unique-match.js';
import { buildFacebookRequest } from './client.js';
import { FACEBOOK } from './normalise.js';

interface GraphComment {
  id?: string;
  message?: string;
  created_time?: string;
  from?: { id?: string; name?: string };
}

/**
 * Whether a command's comment or Page post is on Facebook already. A comment carries no metadata, so the
 * replies under the comment or post it answers (`GET /{id}/comments`, newest first, `filter=stream`) are searched
 * for one by the Page with the request's exact text since the command was decided; a Page post, the Page's
 * posts (`GET /{page-id}/posts`). Exactly one is found; two identical ones throw (the action is held). Needs
 * `pages_read_engagement` (and `pages_read_user_content` for visitors' posts) on the Page token. A Messenger
 * answer is not read back (its `metadata` is not returned by the conversation read): it throws, so it is held.
 */
export async function reconcileFacebook(
  command: ActionCommand,
  context: ConnectorContext & { send: (request: OutboundRequest) => Promise<OutboundResponse> },
): Promise<Reconciliation> {
  const sent = buildFacebookRequest(command, context);
  const [id, edge] = new URL(sent.url).pathname.split('/').slice(-2).map(decodeURIComponent);
  if (edge === 'messages') throw new Error('Messenger answers are not read back (the conversation read does not return metadata)');
  const text = comparableText((JSON.parse(sent.body ?? '{}') as { message: string }).message);
  const since = Date.parse(command.createdAt) - RECONCILE_MARGIN_MS;
  const older = (item: GraphComment) => Date.parse((item.created_time ?? '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) < since;
  const matches: string[] = [];
  if (edge === 'feed') {
    await readGraphList<GraphComment>(
      {
        ...context,
        tokenSetting: META_PAGE_TOKEN,
        path: `${id}/posts`,
        query: { fields: 'id,message,created_time', limit: '100' },
        done: older,
      },
      (post) => {
        if (typeof post.id === 'string' && comparableText(post.message ?? '') === text) matches.push(post.id);
      },
    );
    return uniqueMatch(matches, `Facebook posts of Page ${id}`);
  }
  const pageId = command.event.platform === FACEBOOK ? command.event.channel.id : context.settings.get(META_PAGE_ID);
  await readGraphList<GraphComment>(
    {
      ...context,
      tokenSetting: META_PAGE_TOKEN,
      path: `${id}/comments`,
      query: { fields: 'id,message,from,created_time', filter: 'stream', order: 'reverse_chronological', limit: '100' },
      done: older,
    },
    (comment) => {
      if (typeof comment.id !== 'string' || comparableText(comment.message ?? '') !== text) return;
      // The same words from someone else are not the Page's reply; without `from`, who wrote it cannot be told.
      if (!comment.from?.id) throw new Error(`Facebook comment ${comment.id} has the reply's text but no author to tell whose it is`);
      if (comment.from.id === pageId) matches.push(comment.id);
    },
  );
  return uniqueMatch(matches, `Facebook replies of Page ${pageId} under ${id}`);
}
