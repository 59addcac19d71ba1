import type { ActionCommand } from '../../core/action-command.js';
import type { ConnectorContext, Delivered } from '../../core/connector.js';
import { PermanentActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { interpretGraphResponse } from '../meta/graph-response.js';
import { graphPost } from '../meta/request.js';
import { META_PAGE_TOKEN } from '../meta/settings.js';
import { commandText, metaString, pathId, unsupportedAction } from '../shared/command-params.js';
import { INSTAGRAM } from './normalise.js';

/** Publishing to Instagram needs media (a two-step container upload), so only replies are offered. */
export const INSTAGRAM_ACTIONS = ['reply'] as const;

/**
 * reply to a comment: `POST /{comment-id}/replies`; reply to an @mention (in a comment or a caption on
 * someone else's media): `POST /{ig-user-id}/mentions` with `media_id` and `comment_id`; reply to a Direct
 * message: Send API `POST /me/messages` (the Page token of the Page linked to the Instagram account).
 */
export function buildInstagramRequest(command: ActionCommand, context: ConnectorContext): OutboundRequest {
  if (command.type !== 'reply') throw unsupportedAction(command, INSTAGRAM, INSTAGRAM_ACTIONS);
  const text = commandText(command);
  const recipientId = metaString(command, 'recipientId');
  if (command.event.kind === 'dm' && recipientId) {
    return graphPost(context.settings, 'me/messages', META_PAGE_TOKEN, { recipient: { id: recipientId }, message: { text } });
  }
  if (command.event.kind === 'mention') {
    // The mention is on someone else's media: Instagram takes the answer through the mentioned account's edge.
    const mediaId = metaString(command, 'mediaId');
    if (!mediaId) throw new PermanentActionError(`event ${command.event.id} has no media to answer the mention on (meta.mediaId)`);
    const commentId = metaString(command, 'commentId');
    return graphPost(context.settings, `${pathId(command.event.channel.id)}/mentions`, META_PAGE_TOKEN, {
      media_id: mediaId,
      ...(commentId ? { comment_id: commentId } : {}),
      message: text,
    });
  }
  const target = metaString(command, 'replyTargetId');
  if (!target) throw new PermanentActionError(`event ${command.event.id} has no comment to reply to (meta.replyTargetId)`);
  return graphPost(context.settings, `${pathId(target)}/replies`, META_PAGE_TOKEN, { message: text });
}

export function interpretInstagramResponse(response: OutboundResponse, _command: ActionCommand, context: ConnectorContext): Delivered {
  return interpretGraphResponse(response, context.now);
}
