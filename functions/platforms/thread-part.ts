import { createHash } from 'node:crypto';
import { type ActionCommand, commandPlatform } from '../core/action-command.js';

/**
 * The command that sends part `index` (0-based) of a text split into a thread. Each part has its own
 * id, distinct in its first characters too, so a platform that deduplicates on it (Discord's nonce,
 * VK's random_id, the generic idempotency key) never drops a part as a repeat of the one before.
 * On X a part answers the part before it (`in_reply_to_tweet_id`), which makes the thread; a DM
 * part, and every part on Telegram, Slack and Discord, goes where the first did: the same chat,
 * thread or channel, answering the same message.
 */
export function threadPartCommand(command: ActionCommand, index: number, text: string, previousExternalId?: string): ActionCommand {
  const { parts: _parts, ...params } = command.params;
  const part: ActionCommand = { ...command, id: partId(command.id, index), params: { ...params, text } };
  const platform = commandPlatform(command);
  if (platform !== 'x' || index === 0 || previousExternalId === undefined) return part;
  const isDm = command.event.kind === 'dm' && typeof command.event.meta?.recipientId === 'string';
  if (command.type === 'reply' && isDm) return part;
  return { ...part, type: 'reply', event: { ...command.event, meta: { ...command.event.meta, tweetId: previousExternalId } } };
}

function partId(commandId: string, index: number): string {
  if (index === 0) return commandId;
  const digest = createHash('sha256')
    .update(JSON.stringify([commandId, index]))
    .digest('base64url');
  return `act_${digest.slice(0, 32)}`;
}
