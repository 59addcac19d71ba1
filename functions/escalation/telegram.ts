import type { ActionCommand } from '../core/action-command.js';
import { credential } from '../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../core/http.js';
import type { Settings } from '../core/settings.js';
import { DEFAULT_TELEGRAM_API_URL, interpretTelegramResponse } from '../platforms/telegram/client.js';
import { digestText, type Escalation } from './escalation.js';
import type { EscalationTarget } from './target-config.js';

type TelegramTarget = Extract<EscalationTarget, { type: 'telegram' }>;

/** sendMessage into the team's group (the bot must be a member). */
export function buildTelegramEscalationRequest(escalation: Escalation, target: TelegramTarget, settings: Settings): OutboundRequest {
  return {
    method: 'POST',
    url: `${(target.url ?? DEFAULT_TELEGRAM_API_URL).replace(/\/+$/, '')}/bot${credential(settings, target.token)}/sendMessage`,
    headers: { 'content-type': 'application/json' },
    // sendMessage takes at most 4096 characters.
    body: JSON.stringify({ chat_id: target.chatId, text: digestText(escalation).slice(0, 4096), disable_web_page_preview: true }),
  };
}

/** The Bot API reading shared with the Telegram connector (429 + parameters.retry_after). */
export function interpretTelegramEscalationResponse(
  response: OutboundResponse,
  command: ActionCommand,
  settings: Settings,
  now: Date,
): { externalId?: string } {
  return interpretTelegramResponse(response, command, { settings, now });
}
