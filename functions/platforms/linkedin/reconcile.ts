import type { ActionCommand } from '../../core/action-command.js';
import type { ConnectorContext, Reconciliation } from '../../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { comparableText, RECONCILE_MARGIN_MS, RECONCILE_MAX_PAGES, uniqueMatch } from '../shared/unique-match.js';
import { buildLinkedInRequest, linkedInRequest, parse } from './client.js';

const PAGE_SIZE = 100;

interface LinkedInComment {
  id?: string;
  commentUrn?: string;
  actor?: string;
  message?: { text?: string };
  created?: { time?: number };
}

interface CommentsPage {
  elements?: LinkedInComment[];
  paging?: { start?: number; count?: number; total?: number };
}

/**
 * Whether a reply is on LinkedIn already. A comment carries nothing of Foghorn's, so the comments under the
 * same urn (`GET /rest/socialActions/{urn}/comments`) are read for one by the Page (`actor`) with the request's
 * exact text, made since the command was decided. Exactly one is found; two identical ones throw (the action
 * is held). Needs r_organization_social.
 */
export async function reconcileLinkedIn(
  command: ActionCommand,
  context: ConnectorContext & { send: (request: OutboundRequest) => Promise<OutboundResponse> },
): Promise<Reconciliation> {
  const sent = buildLinkedInRequest(command, context);
  const body = JSON.parse(sent.body ?? '{}') as { actor: string; message: { text: string } };
  const path = new URL(sent.url).pathname.replace(/^.*\/rest\//, '');
  const text = comparableText(body.message.text);
  const since = Date.parse(command.createdAt) - RECONCILE_MARGIN_MS;
  const matches: string[] = [];
  for (let page = 0; page < RECONCILE_MAX_PAGES; page++) {
    const start = page * PAGE_SIZE;
    const response = await context.send(linkedInRequest(context.settings, 'GET', `${path}?start=${start}&count=${PAGE_SIZE}`));
    const answer = parse(response.body) as CommentsPage | undefined;
    if (response.status !== 200 || !Array.isArray(answer?.elements))
      throw new Error(`linkedin GET /rest/${path} answered ${response.status}: ${response.body.slice(0, 200)}`);
    for (const comment of answer.elements) {
      if (comment.actor !== body.actor || (comment.created?.time ?? 0) < since) continue;
      if (comparableText(comment.message?.text ?? '') === text) matches.push(comment.commentUrn ?? comment.id ?? '?');
    }
    const total = answer.paging?.total;
    if (answer.elements.length < PAGE_SIZE || (total !== undefined && start + answer.elements.length >= total))
      return uniqueMatch(matches, `LinkedIn comments of ${body.actor} under ${decodeURIComponent(path)}`);
  }
  throw new Error(`linkedin GET /rest/${path}: more than ${RECONCILE_MAX_PAGES} pages of comments; too many to be sure`);
}
