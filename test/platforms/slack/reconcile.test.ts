import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionCommandId } from '../../../functions/core/action-command.js';
import { LiveSender } from '../../../functions/core/outbound/index.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { slackConnector } from '../../../functions/platforms/slack/index.js';
import { FOGHORN_METADATA_EVENT_TYPE } from '../../../functions/platforms/slack/normalise.js';
import { makeEvent } from '../../support/events.js';
import { type ReceivedRequest, startLoopback } from '../../support/loopback.js';

/**
 * Slack's read API, as documented: conversations.replies (https://docs.slack.dev/reference/methods/conversations.replies)
 * and conversations.history (https://docs.slack.dev/reference/methods/conversations.history) return `messages`, with
 * each message's `metadata` only when `include_all_metadata=true`, and `has_more` + `response_metadata.next_cursor`.
 */
const TOKEN = 'xoxb-reconcile-token';

function reply(threadTs?: string) {
  const event = makeEvent({
    id: `slack:T1:C9:${threadTs ?? 'dm'}`,
    platform: 'slack',
    kind: threadTs ? 'message' : 'dm',
    channel: { id: 'C9' },
    meta: threadTs ? { ts: threadTs } : { ts: '1700000000.000900' },
  });
  return {
    id: actionCommandId(event.id, 'faq', 0),
    eventId: event.id,
    ruleId: 'faq',
    index: 0,
    type: 'reply',
    params: { text: 'On it' },
    event,
    createdAt: '2026-11-22T10:00:00.000Z',
  };
}

const ours = (commandId: string, ts: string) => ({
  ts,
  text: 'On it',
  metadata: { event_type: FOGHORN_METADATA_EVENT_TYPE, event_payload: { command_id: commandId } },
});

describe('slack reconcile', () => {
  let answer: (request: ReceivedRequest) => { status: number; body: string } = () => ({ status: 200, body: '{"ok":true,"messages":[]}' });
  let api: Awaited<ReturnType<typeof startLoopback>>;
  beforeAll(async () => {
    api = await startLoopback((request) => answer(request));
  });
  afterAll(async () => {
    await api.close();
  });
  const context = () => {
    const sender = new LiveSender({ timeoutMs: 2000 });
    return {
      settings: settingsFrom({ FOGHORN_SLACK_BOT_TOKEN: TOKEN, FOGHORN_SLACK_API_URL: `${api.url}/api` }),
      now: new Date('2026-11-22T10:00:05.000Z'),
      send: (request: Parameters<LiveSender['send']>[0]) => sender.send(request),
    };
  };

  it('buildRequest carries the command id in metadata, which the thread read finds (following next_cursor)', async () => {
    const command = reply('1700000000.000100');
    expect(JSON.parse(slackConnector.buildRequest(command, context()).body ?? '{}').metadata).toEqual({
      event_type: FOGHORN_METADATA_EVENT_TYPE,
      event_payload: { command_id: command.id },
    });
    answer = (request) => {
      const cursor = new URL(request.url, 'http://x').searchParams.get('cursor');
      return cursor
        ? { status: 200, body: JSON.stringify({ ok: true, messages: [ours(command.id, '1700000005.000200')], has_more: false }) }
        : {
            status: 200,
            body: JSON.stringify({
              ok: true,
              messages: [ours('act_someone_else', '1700000001.000100')],
              has_more: true,
              response_metadata: { next_cursor: 'page2' },
            }),
          };
    };
    const before = api.received.length;
    expect(await slackConnector.reconcile?.(command, context())).toEqual({ found: true, externalId: '1700000005.000200' });
    const reads = api.received.slice(before);
    expect(reads.map((request) => request.method)).toEqual(['GET', 'GET']);
    const first = new URL(reads[0]!.url, 'http://x');
    expect(first.pathname).toBe('/api/conversations.replies');
    expect(Object.fromEntries(first.searchParams)).toMatchObject({ channel: 'C9', ts: '1700000000.000100', include_all_metadata: 'true' });
    expect(reads[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(new URL(reads[1]!.url, 'http://x').searchParams.get('cursor')).toBe('page2');
  });

  it('reads the channel history since the command for a reply outside a thread; nothing with its id is not found', async () => {
    const command = reply();
    answer = () => ({ status: 200, body: JSON.stringify({ ok: true, messages: [{ ts: '1', text: 'On it' }], has_more: false }) });
    const before = api.received.length;
    expect(await slackConnector.reconcile?.(command, context())).toEqual({ found: false });
    const read = new URL(api.received[before]!.url, 'http://x');
    expect(read.pathname).toBe('/api/conversations.history');
    expect(read.searchParams.get('oldest')).toBe(String(Date.parse(command.createdAt) / 1000 - 60));
  });

  it('throws when Slack cannot be asked (missing scope), so the action is unknown rather than guessed', async () => {
    answer = () => ({ status: 200, body: '{"ok":false,"error":"missing_scope"}' });
    await expect(slackConnector.reconcile?.(reply('1700000000.000100'), context())).rejects.toThrow(/missing_scope/);
  });
});
