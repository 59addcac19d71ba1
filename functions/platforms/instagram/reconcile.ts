import type { ActionCommand } from '../../core/action-command.js';
import type { ConnectorContext, Reconciliation } from '../../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { readGraphList } from '../meta/graph-read.js';
import { META_PAGE_TOKEN } from '../meta/settings.js';
import { comparableText, RECONCILE_MARGIN_MS, uniqueMatch } from '../shared/unique-match.js';
import { buildInstagramRequest } from './client.js';
import { INSTAGRAM_ACCOUNT_ID } from './normalise.js';

interface IgComment {
  id?: string;
  text?: string;
  timestamp?: string;
  from?: { id?: string; username?: string };
}

/**
 * Whether a command's comment reply is on Instagram already. A comment carries no metadata, so the replies
 * under the comment it answers (`GET /{ig-comment-id}/replies`) are searched for one by the account with the
 * request's exact text since the command was decided. Exactly one is found; two identical ones throw (the
 * action is held). Needs `instagram_manage_comments`. An answer to an @mention (on someone else's media) and a
 * Direct message are not read back: they throw, so the action is held.
 */
export async function reconcileInstagram(
  command: ActionCommand,
  context: ConnectorContext & { send: (request: OutboundRequest) => Promise<OutboundResponse> },
): Promise<Reconciliation> {
  const sent = buildInstagramRequest(command, context);
  const [id, edge] = new URL(sent.url).pathname.split('/').slice(-2).map(decodeURIComponent);
  if (edge !== 'replies')
    throw new Error(`Instagram ${edge === 'mentions' ? 'answers to an @mention' : 'Direct messages'} are not read back`);
  const text = comparableText((JSON.parse(sent.body ?? '{}') as { message: string }).message);
  const accountId = context.settings.get(INSTAGRAM_ACCOUNT_ID) ?? command.event.channel.id;
  const since = Date.parse(command.createdAt) - RECONCILE_MARGIN_MS;
  const matches: string[] = [];
  await readGraphList<IgComment>(
    { ...context, tokenSetting: META_PAGE_TOKEN, path: `${id}/replies`, query: { fields: 'id,text,timestamp,from', limit: '100' } },
    (comment) => {
      if (typeof comment.id !== 'string' || comparableText(comment.text ?? '') !== text) return;
      // Instagram documents no order for replies: every page is read, and older ones are skipped here.
      if (Date.parse((comment.timestamp ?? '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) < since) return;
      if (!comment.from?.id) throw new Error(`Instagram comment ${comment.id} has the reply's text but no author to tell whose it is`);
      if (comment.from.id === accountId) matches.push(comment.id);
    },
  );
  return uniqueMatch(matches, `Instagram replies of ${accountId} under ${id}`);
}
