import type { ActionCommand } from '../../core/action-command.js';
import { type ConnectorContext, credential, type Reconciliation } from '../../core/connector.js';
import type { OutboundRequest, OutboundResponse } from '../../core/http.js';
import { apiBase, buildSlackRequest } from './client.js';
import { FOGHORN_METADATA_EVENT_TYPE } from './normalise.js';
import { SLACK_BOT_TOKEN } from './settings.js';

/** Pages read before giving up (a busy thread or channel); the message, when sent, is among the newest. */
const MAX_PAGES = 5;
/** How far before the command was decided a channel's history is read (clocks differ a little). */
const HISTORY_MARGIN_SECONDS = 60;

interface SlackMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { command_id?: unknown } };
}

interface HistoryAnswer {
  ok?: boolean;
  error?: string;
  messages?: SlackMessage[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

/**
 * Whether a command's message is in Slack already: every message Foghorn posts carries its command id in
 * `metadata` (buildSlackRequest), so the thread (`conversations.replies`) or, outside a thread, the channel's
 * history since the command (`conversations.history`) is read with `include_all_metadata` and searched for it.
 * Needs the bot's `channels:history` (and `groups:`, `im:`, `mpim:history` for private channels and DMs).
 */
export async function reconcileSlack(
  command: ActionCommand,
  context: ConnectorContext & { send: (request: OutboundRequest) => Promise<OutboundResponse> },
): Promise<Reconciliation> {
  const sent = buildSlackRequest(command, context.settings);
  const { channel, thread_ts: threadTs } = JSON.parse(sent.body ?? '{}') as { channel: string; thread_ts?: string };
  const method = threadTs ? 'conversations.replies' : 'conversations.history';
  const query: Record<string, string> = threadTs
    ? { channel, ts: threadTs, include_all_metadata: 'true', limit: '200' }
    : {
        channel,
        include_all_metadata: 'true',
        limit: '200',
        oldest: String(Math.floor(Date.parse(command.createdAt) / 1000) - HISTORY_MARGIN_SECONDS),
      };
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
    const response = await context.send({
      method: 'GET',
      url: `${apiBase(context.settings)}/${method}?${params}`,
      headers: { authorization: `Bearer ${credential(context.settings, SLACK_BOT_TOKEN)}` },
    });
    const answer = parse(response.body);
    if (response.status !== 200 || answer?.ok !== true) {
      throw new Error(`slack ${method} answered HTTP ${response.status}: ${answer?.error ?? response.body.slice(0, 200)}`);
    }
    const mine = answer.messages?.find(
      (message) =>
        message.metadata?.event_type === FOGHORN_METADATA_EVENT_TYPE && message.metadata.event_payload?.command_id === command.id,
    );
    if (mine) return { found: true, ...(typeof mine.ts === 'string' ? { externalId: mine.ts } : {}) };
    cursor = answer.response_metadata?.next_cursor;
    if (!answer.has_more || !cursor) return { found: false };
  }
  throw new Error(`slack ${method}: not found in the newest ${MAX_PAGES} pages; too many messages to be sure`);
}

function parse(body: string): HistoryAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as HistoryAnswer) : undefined;
  } catch {
    return undefined;
  }
}
