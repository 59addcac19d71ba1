import type { Connector } from '../../core/connector.js';
import { buildDiscordRequest, interpretDiscordResponse } from './client.js';
import { CallbackType, InteractionType, normaliseDiscord, parseInteraction } from './normalise.js';
import { DISCORD, DISCORD_APPLICATION_ID, DISCORD_BOT_TOKEN, DISCORD_PUBLIC_KEY } from './settings.js';
import { verifyDiscord } from './verify.js';

/** Discord interactions in (slash commands, components, modals), follow-ups and channel messages out. */
export const discordConnector: Connector = {
  platform: DISCORD,
  inboundSettings: [DISCORD_PUBLIC_KEY],
  outboundSettings: [DISCORD_BOT_TOKEN],
  actionTypes: ['reply', 'post'],
  handshake(request, { settings }) {
    if (request.method !== 'POST' || !isPing(request.rawBody)) return undefined;
    // Discord sends PINGs with bad signatures on purpose and expects a 401: verify before answering.
    verifyDiscord(request, settings.get(DISCORD_PUBLIC_KEY) ?? '');
    parseInteraction(request);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: { type: CallbackType.PONG } };
  },
  verify: (request, { settings }) => verifyDiscord(request, settings.get(DISCORD_PUBLIC_KEY) ?? ''),
  normalise: (request, { settings }) => normaliseDiscord(request, settings.get(DISCORD_APPLICATION_ID)),
  buildRequest: (command, { settings, now }) => buildDiscordRequest(command, settings, now),
  interpretResponse: (response) => interpretDiscordResponse(response),
  // Channel messages carry `nonce` + `enforce_nonce`; interaction follow-ups have no such key.
  deduplication: { key: 'nonce (channel messages)', covers: (request) => /\/channels\/[^/]+\/messages$/.test(request.url) },
};

function isPing(rawBody: Buffer): boolean {
  try {
    return (JSON.parse(rawBody.toString('utf8')) as { type?: unknown }).type === InteractionType.PING;
  } catch {
    return false;
  }
}
