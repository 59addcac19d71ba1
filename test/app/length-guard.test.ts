import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lengthGuardedExecutor } from '../../functions/app/length-guard.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { platformExecutor } from '../../functions/core/executors/platform.js';
import { LiveSender, SandboxSender } from '../../functions/core/outbound/index.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { connectorFor } from '../../functions/platforms/index.js';
import { splitText, textLength } from '../../functions/text/index.js';
import { makeEvent } from '../rules/support.js';
import { type FakePlatformApi, startFakePlatformApi } from '../support/fake-platform-api.js';

/** The length guard around the real platform executor, live against a loopback X API. */
describe('the length guard: an X thread, part after part', () => {
  let api: FakePlatformApi;
  let tweet = 1_000;
  const holds: Array<{ command: ActionCommand; reason: string }> = [];
  let executor: ReturnType<typeof lengthGuardedExecutor>;
  const bodies = () =>
    api.received.map((request) => JSON.parse(request.body) as { text: string; reply?: { in_reply_to_tweet_id: string } });
  const command = (text: string, parts: string[] | undefined, type = 'reply'): ActionCommand => ({
    id: `act_${'a'.repeat(32)}`,
    eventId: 'x:1',
    ruleId: 'thread',
    index: 0,
    type,
    params: { text, ...(parts ? { parts } : {}) },
    event: makeEvent({ id: 'x:1', platform: 'x', kind: 'mention', meta: { tweetId: '777' } }),
    createdAt: '2026-01-05T10:00:00Z',
  });

  beforeAll(async () => {
    api = await startFakePlatformApi();
    executor = lengthGuardedExecutor({
      inner: platformExecutor({
        connectorFor,
        settings: settingsFrom({ FOGHORN_X_BEARER_TOKEN: 'x-token', FOGHORN_X_API_URL: api.url }),
        clock: { now: () => new Date('2026-01-05T10:00:00Z') },
        forceSandbox: false,
        live: new LiveSender(),
        sandbox: new SandboxSender(),
        redact: (request) => request,
      }),
      hold: async (held, reason) => {
        holds.push({ command: held, reason });
      },
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('each part answers the part before it; the first answers the post', async () => {
    api.answer(() => ({ status: 201, body: { data: { id: String(++tweet) } } }));
    const text = `${'Thank you for your patience while we look into this. '.repeat(12)}`.trim();
    const parts = splitText(text, { max: 280, counts: 'x-weighted' });
    expect(parts.length).toBe(3);
    const result = await executor(command(text, parts));
    expect(result).toMatchObject({ status: 'succeeded', mode: 'live', externalId: '1001' });
    expect(bodies().map((body) => body.reply?.in_reply_to_tweet_id)).toEqual(['777', '1001', '1002']);
    expect(bodies().map((body) => body.text)).toEqual(parts);
  });

  it('a part after the first fails: the rest is held, what went out is not sent again', async () => {
    const before = api.received.length;
    let calls = 0;
    api.answer(() =>
      ++calls === 2 ? { status: 503, body: { title: 'Service Unavailable' } } : { status: 201, body: { data: { id: String(++tweet) } } },
    );
    const parts = ['part one', 'part two', 'part three'];
    const result = await executor(command(parts.join(' '), parts));
    expect(result.status).toBe('held');
    expect(api.received.length - before).toBe(2);
    expect(holds).toHaveLength(1);
    const [held] = holds;
    expect(held!.reason).toContain('parts 1–1 of 3 were sent; part 2 may not have been');
    expect(held!.command.params.parts).toEqual(['part two', 'part three']);
    // Approved later, the rest answers the last part that went out.
    expect(held!.command.event.meta?.tweetId).toBe(String(tweet));
  });

  it('an X post over 280 weighted characters is held with the reason, never sent', async () => {
    const before = api.received.length;
    holds.length = 0;
    const text = '字'.repeat(141);
    expect(textLength(text, 'x-weighted')).toBe(282);
    expect(await executor(command(text, undefined, 'post'))).toEqual({ status: 'held' });
    expect(api.received.length).toBe(before);
    expect(holds[0]!.reason).toContain('282 weighted characters; X post allows 280');
  });

  it('approved, an over-long text is sent cut to the limit', async () => {
    api.answer(() => ({ status: 201, body: { data: { id: String(++tweet) } } }));
    const text = '字'.repeat(141);
    const approved = command(text, undefined, 'post');
    approved.params.approval = 'act_approval';
    expect((await executor(approved)).status).toBe('succeeded');
    const sent = bodies().at(-1)!.text;
    expect(textLength(sent, 'x-weighted')).toBeLessThanOrEqual(280);
    expect(sent.endsWith('…')).toBe(true);
  });
});
