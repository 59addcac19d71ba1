import type { ActionCommand } from '../../core/action-command.js';
import type { ConnectorContext, Delivered } from '../../core/connector.js';
import { PermanentActionError } from '../../core/errors.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { interpretGraphResponse } from '../meta/graph-response.js';
import { graphPost } from '../meta/request.js';
import { FOGHORN_METADATA_PREFIX, META_PAGE_ID, META_PAGE_TOKEN } from '../meta/settings.js';
import { commandText, metaString, pathId, stringParam, unsupportedAction } from '../shared/command-params.js';
import { FACEBOOK } from './normalise.js';

export const FACEBOOK_ACTIONS = ['reply', 'post'] as const;

/**
 * reply to a Messenger message: Send API `POST /{page-id}/messages` to the sender, tagged with Foghorn's metadata;
 * reply to a comment or post: `POST /{comment-or-post-id}/comments`; post: `POST /{page-id}/feed`.
 */
export function buildFacebookRequest(command: ActionCommand, context: ConnectorContext): OutboundRequest {
  const { settings } = context;
  const text = commandText(command);
  if (command.type === 'reply') {
    const recipientId = metaString(command, 'recipientId');
    if (command.event.kind === 'dm' && recipientId) {
      return graphPost(settings, `${pathId(command.event.channel.id)}/messages`, META_PAGE_TOKEN, {
        recipient: { id: recipientId },
        messaging_type: 'RESPONSE',
        message: { text, metadata: `${FOGHORN_METADATA_PREFIX}${command.id}` },
      });
    }
    const target = metaString(command, 'replyTargetId');
    if (!target) throw new PermanentActionError(`event ${command.event.id} has no comment or post to reply to (meta.replyTargetId)`);
    return graphPost(settings, `${pathId(target)}/comments`, META_PAGE_TOKEN, { message: text });
  }
  if (command.type === 'post') {
    const pageId =
      stringParam(command, 'channel') ??
      settings.get(META_PAGE_ID) ??
      (command.event.platform === FACEBOOK ? command.event.channel.id : undefined);
    if (!pageId) throw new PermanentActionError(`post ${command.id}: no Page to post to (set params.channel or ${META_PAGE_ID})`);
    return graphPost(settings, `${pathId(pageId)}/feed`, META_PAGE_TOKEN, { message: text });
  }
  throw unsupportedAction(command, FACEBOOK, FACEBOOK_ACTIONS);
}

export function interpretFacebookResponse(response: OutboundResponse, _command: ActionCommand, context: ConnectorContext): Delivered {
  return interpretGraphResponse(response, context.now);
}
