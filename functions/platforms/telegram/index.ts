import type { Connector } from '../../core/connector.js';
import { buildTelegramRequest, interpretTelegramResponse, TELEGRAM_ACTIONS, TELEGRAM_BOT_TOKEN } from './client.js';
import { normaliseTelegram, TELEGRAM } from './normalise.js';
import { TELEGRAM_SECRET_TOKEN, verifyTelegramSecret } from './verify.js';

/** Telegram bot: messages, edits and channel posts in; replies in the chat and posts to a channel out. */
export const telegramConnector: Connector = {
  platform: TELEGRAM,
  inboundSettings: [TELEGRAM_SECRET_TOKEN],
  outboundSettings: [TELEGRAM_BOT_TOKEN],
  actionTypes: TELEGRAM_ACTIONS,
  verify: verifyTelegramSecret,
  normalise: normaliseTelegram,
  buildRequest: buildTelegramRequest,
  interpretResponse: interpretTelegramResponse,
};
