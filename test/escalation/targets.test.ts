import type { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterEach, describe, expect, it } from 'vitest';
import { SesEmailSender } from '../../functions/aws/ses-email-sender.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { PermanentActionError, TransientActionError } from '../../functions/core/errors.js';
import { LiveSender, SandboxSender } from '../../functions/core/outbound/index.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { escalateExecutor } from '../../functions/escalation/escalate-executor.js';
import { parseTargets } from '../../functions/escalation/target-config.js';
import { makeEvent } from '../support/events.js';
import { type LoopbackAnswer, type ReceivedRequest, startLoopback } from '../support/loopback.js';

const now = new Date('2026-11-22T10:00:00.000Z');
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function api(answer: (request: ReceivedRequest, index: number) => LoopbackAnswer) {
  const server = await startLoopback(answer);
  servers.push(server);
  return server;
}

function command(params: Record<string, unknown>, id = 'act_1'): ActionCommand {
  return {
    id,
    eventId: 'x:99',
    ruleId: 'outage',
    index: 0,
    type: 'escalate',
    createdAt: now.toISOString(),
    params: { severity: 'critical', summary: 'Login outage reports', ...params },
    event: makeEvent({
      id: 'x:99',
      platform: 'x',
      kind: 'mention',
      text: '@brand login is down again',
      url: 'https://x.com/sara/status/99',
      author: { id: '7', handle: 'sara' },
    }),
  };
}

function executor(targets: Record<string, unknown>, settings: Record<string, string>, extra: { email?: SesEmailSender } = {}) {
  const parsed = parseTargets(targets);
  return escalateExecutor({
    targets: () => parsed,
    settings: settingsFrom(settings),
    live: new LiveSender({ timeoutMs: 5000 }),
    sandbox: new SandboxSender(),
    forceSandbox: false,
    clock: { now: () => now },
    foghornBaseUrl: 'http://127.0.0.1:8787',
    ...extra,
  });
}

describe('PagerDuty Events API v2', () => {
  it('triggers with the incident as dedup_key and resolves with the same key', async () => {
    const pd = await api(() => ({ status: 202, body: '{"status":"success","message":"Event processed","dedup_key":"spike:outage:1"}' }));
    const run = executor(
      { oncall: { type: 'pagerduty', routingKey: 'FOGHORN_PD_KEY', url: `${pd.url}/v2/enqueue` } },
      { FOGHORN_PD_KEY: 'R0UTINGKEY0123456789' },
    );
    const result = await run(command({ target: 'oncall', incident: 'spike:outage:1', count: 30 }));
    await run(command({ target: 'oncall', incident: 'spike:outage:1', resolve: true }, 'act_2'));

    expect(pd.received.map((r) => [r.method, r.url, r.headers['content-type']])).toEqual([
      ['POST', '/v2/enqueue', 'application/json'],
      ['POST', '/v2/enqueue', 'application/json'],
    ]);
    const [trigger, resolve] = pd.received.map((r) => JSON.parse(r.body));
    expect(trigger).toEqual({
      routing_key: 'R0UTINGKEY0123456789',
      dedup_key: 'spike:outage:1',
      event_action: 'trigger',
      payload: {
        summary: 'Login outage reports',
        source: 'foghorn/x',
        severity: 'critical',
        timestamp: '2026-11-22T10:00:00.000Z',
        component: 'x',
        group: 'outage',
        class: 'mention',
        custom_details: { rule: 'outage', text: '@brand login is down again', author: '@sara', event: 'x:99', count: 30 },
      },
      client: 'Foghorn',
      client_url: 'http://127.0.0.1:8787/api/events/x%3A99',
      links: [
        { href: 'https://x.com/sara/status/99', text: 'On the platform' },
        { href: 'http://127.0.0.1:8787/api/events/x%3A99', text: 'In Foghorn' },
      ],
    });
    expect(resolve).toEqual({ routing_key: 'R0UTINGKEY0123456789', dedup_key: 'spike:outage:1', event_action: 'resolve' });
    expect(result).toMatchObject({ status: 'succeeded', mode: 'live', externalId: 'spike:outage:1' });
    expect(result.request?.body).not.toContain('R0UTINGKEY0123456789');
  });

  it('a 429 with Retry-After is transient with the wait; a 400 is permanent', async () => {
    const pd = await api((_r, index) =>
      index === 0
        ? {
            status: 429,
            headers: { 'retry-after': '7' },
            body: '{"status":"throttle event","message":"Requests for this service are arriving too quickly."}',
          }
        : {
            status: 400,
            body: '{"status":"invalid event","message":"Event object is invalid","errors":["Length of \'routing_key\' is incorrect"]}',
          },
    );
    const run = executor(
      { oncall: { type: 'pagerduty', routingKey: 'FOGHORN_PD_KEY', url: pd.url } },
      { FOGHORN_PD_KEY: 'R0UTINGKEY0123456789' },
    );
    const limited = await run(command({ target: 'oncall' })).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(TransientActionError);
    expect((limited as TransientActionError).retryAfterMs).toBe(7000);
    await expect(run(command({ target: 'oncall' }))).rejects.toBeInstanceOf(PermanentActionError);
  });

  it('without its routing key it records the request in sandbox mode and sends nothing', async () => {
    const pd = await api(() => ({ status: 202, body: '{}' }));
    const run = executor({ oncall: { type: 'pagerduty', routingKey: 'FOGHORN_PD_KEY', url: pd.url } }, {});
    const result = await run(command({ target: 'oncall' }));
    expect(result).toMatchObject({ status: 'succeeded', mode: 'sandbox' });
    expect(JSON.parse(result.request!.body!).routing_key).toBe('<FOGHORN_PD_KEY>');
    expect(pd.received).toEqual([]);
  });
});

describe('Opsgenie Alert API', () => {
  it('creates with the incident as alias and GenieKey auth, closes by alias', async () => {
    const og = await api(() => ({ status: 202, body: '{"result":"Request will be processed","took":0.1,"requestId":"req-1"}' }));
    const run = executor(
      { managers: { type: 'opsgenie', apiKey: 'FOGHORN_OPSGENIE_API_KEY', url: og.url, responders: [{ type: 'team', name: 'Social' }] } },
      { FOGHORN_OPSGENIE_API_KEY: 'genie-key-0123456789' },
    );
    const result = await run(command({ target: 'managers', incident: 'sla:abc', severity: 'high' }));
    await run(command({ target: 'managers', incident: 'sla:abc', resolve: true, summary: 'quiet again' }, 'act_2'));
    expect(og.received[0]).toMatchObject({
      method: 'POST',
      url: '/v2/alerts',
      headers: { authorization: 'GenieKey genie-key-0123456789' },
    });
    const create = JSON.parse(og.received[0]!.body);
    expect(create).toMatchObject({
      message: 'Login outage reports',
      alias: 'sla:abc',
      priority: 'P2',
      source: 'Foghorn',
      entity: 'x',
      tags: ['foghorn', 'outage'],
      responders: [{ type: 'team', name: 'Social' }],
    });
    expect(create.description).toContain('@brand login is down again');
    expect(og.received[1]).toMatchObject({ method: 'POST', url: '/v2/alerts/sla%3Aabc/close?identifierType=alias' });
    expect(JSON.parse(og.received[1]!.body)).toEqual({ source: 'Foghorn', note: 'quiet again' });
    expect(result).toMatchObject({ mode: 'live', externalId: 'req-1' });
    expect(result.request?.headers.authorization).not.toContain('genie-key-0123456789');
  });

  it('a 429 is retried after Retry-After; 422 (bad payload) fails for good', async () => {
    const og = await api((_r, index) =>
      index === 0
        ? { status: 429, headers: { 'retry-after': '2' }, body: '{"message":"Rate limit exceeded"}' }
        : { status: 422, body: '{"message":"Message can not be empty."}' },
    );
    const run = executor(
      { managers: { type: 'opsgenie', apiKey: 'FOGHORN_OPSGENIE_API_KEY', url: og.url } },
      { FOGHORN_OPSGENIE_API_KEY: 'genie-key-0123456789' },
    );
    await expect(run(command({ target: 'managers' }))).rejects.toMatchObject({ retryAfterMs: 2000 });
    await expect(run(command({ target: 'managers' }))).rejects.toBeInstanceOf(PermanentActionError);
  });
});

describe('Slack', () => {
  it('an incoming webhook gets the digest; its URL (the secret) is never recorded', async () => {
    const hook = await api((_r, index) =>
      index === 0
        ? { status: 200, body: 'ok' }
        : index === 1
          ? { status: 429, headers: { 'retry-after': '30' }, body: 'rate_limited' }
          : { status: 404, body: 'channel_not_found' },
    );
    const url = `${hook.url}/services/T000/B000/XXXXXXXXXXXXXXXX`;
    const run = executor({ team: { type: 'slack-webhook', url: 'FOGHORN_SLACK_TEAM_WEBHOOK' } }, { FOGHORN_SLACK_TEAM_WEBHOOK: url });
    const result = await run(command({ target: 'team' }));
    expect(hook.received[0]!.url).toBe('/services/T000/B000/XXXXXXXXXXXXXXXX');
    const text = JSON.parse(hook.received[0]!.body).text as string;
    expect(text).toContain('[CRITICAL] Login outage reports');
    expect(text).toContain('@sara');
    expect(text).toContain('https://x.com/sara/status/99');
    expect(text).toContain('http://127.0.0.1:8787/api/events/x%3A99');
    expect(result.request?.url).not.toContain('XXXXXXXXXXXXXXXX');
    await expect(run(command({ target: 'team' }))).rejects.toMatchObject({ retryAfterMs: 30_000 });
    await expect(run(command({ target: 'team' }))).rejects.toThrow(/channel_not_found/);
  });

  it('a channel through chat.postMessage: ok, ratelimited, invalid_auth', async () => {
    const slack = await api((_r, index) =>
      index === 0
        ? { status: 200, body: '{"ok":true,"ts":"1700.5"}' }
        : index === 1
          ? { status: 429, headers: { 'retry-after': '3' }, body: '{"ok":false,"error":"ratelimited"}' }
          : { status: 200, body: '{"ok":false,"error":"invalid_auth"}' },
    );
    const run = executor(
      { social: { type: 'slack-channel', channel: 'C0SOCIAL', url: slack.url } },
      { FOGHORN_SLACK_BOT_TOKEN: 'xoxb-0123456789-abcdef' },
    );
    expect(await run(command({ target: 'social' }))).toMatchObject({ mode: 'live', externalId: '1700.5' });
    expect(slack.received[0]).toMatchObject({ url: '/chat.postMessage', headers: { authorization: 'Bearer xoxb-0123456789-abcdef' } });
    expect(JSON.parse(slack.received[0]!.body)).toMatchObject({ channel: 'C0SOCIAL', unfurl_links: false });
    await expect(run(command({ target: 'social' }))).rejects.toMatchObject({ retryAfterMs: 3000 });
    await expect(run(command({ target: 'social' }))).rejects.toBeInstanceOf(PermanentActionError);
  });
});

describe('Slack: user text cannot ping or disguise a link', () => {
  const hostile = '<!channel> refund me <@U024BE7LH> or see <https://evil.example/login|your invoice> & <!here>';
  const hostileCommand = () => {
    const base = command({ target: 'team' });
    return { ...base, event: { ...base.event, text: hostile, author: { id: '7', handle: '<!everyone>' } } };
  };
  const expectInert = (body: string) => {
    const { text } = JSON.parse(body) as { text: string };
    for (const control of ['<!channel>', '<!here>', '<!everyone>', '<@U024BE7LH>', '<https://evil.example/login|']) {
      expect(text).not.toContain(control);
    }
    expect(text).toContain(
      '&lt;!channel&gt; refund me &lt;@U024BE7LH&gt; or see &lt;https://evil.example/login|your invoice&gt; &amp; &lt;!here&gt;',
    );
  };

  it('escapes the top-level text of an incoming webhook as the blocks are', async () => {
    const hook = await api(() => ({ status: 200, body: 'ok' }));
    const run = executor(
      { team: { type: 'slack-webhook', url: 'FOGHORN_SLACK_TEAM_WEBHOOK' } },
      { FOGHORN_SLACK_TEAM_WEBHOOK: `${hook.url}/hook` },
    );
    await run(hostileCommand());
    expectInert(hook.received[0]!.body);
  });

  it('escapes the top-level text of chat.postMessage', async () => {
    const slack = await api(() => ({ status: 200, body: '{"ok":true,"ts":"1700.5"}' }));
    const run = executor(
      { team: { type: 'slack-channel', channel: 'C0SOCIAL', url: slack.url } },
      { FOGHORN_SLACK_BOT_TOKEN: 'xoxb-0123456789-abcdef' },
    );
    await run(hostileCommand());
    expectInert(slack.received[0]!.body);
  });
});

describe('Telegram group and email', () => {
  it('sends the digest to the group and honours retry_after', async () => {
    const tg = await api((_r, index) =>
      index === 0
        ? { status: 200, body: '{"ok":true,"result":{"message_id":5,"chat":{"id":-100123}}}' }
        : {
            status: 429,
            body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 9","parameters":{"retry_after":9}}',
          },
    );
    const run = executor(
      { room: { type: 'telegram', chatId: -100123, url: tg.url } },
      { FOGHORN_TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOP' },
    );
    expect(await run(command({ target: 'room' }))).toMatchObject({ mode: 'live', externalId: '-100123:5' });
    expect(tg.received[0]!.url).toBe('/bot123456:ABCDEFGHIJKLMNOP/sendMessage');
    expect(JSON.parse(tg.received[0]!.body)).toMatchObject({ chat_id: '-100123', disable_web_page_preview: true });
    await expect(run(command({ target: 'room' }))).rejects.toMatchObject({ retryAfterMs: 9000 });
  });

  it('email goes through SES SendEmail on AWS and is recorded in sandbox mode locally', async () => {
    const sent: SendEmailCommand[] = [];
    const ses = new SesEmailSender({
      send: async (input: unknown) => {
        sent.push(input as SendEmailCommand);
        return { MessageId: 'm-1', $metadata: {} };
      },
    } as never);
    const targets = { pr: { type: 'email', from: 'foghorn@example.com', to: ['pr@example.com'] } };
    expect(await executor(targets, {}, { email: ses })(command({ target: 'pr' }))).toMatchObject({ mode: 'live', externalId: 'm-1' });
    expect(sent[0]!.input).toEqual({
      FromEmailAddress: 'foghorn@example.com',
      Destination: { ToAddresses: ['pr@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: '[Foghorn CRITICAL] Login outage reports', Charset: 'UTF-8' },
          Body: { Text: { Data: expect.stringContaining('@brand login is down again'), Charset: 'UTF-8' } },
        },
      },
    });
    const local = await executor(targets, {})(command({ target: 'pr' }));
    expect(local).toMatchObject({ mode: 'sandbox', request: { url: 'ses:v2/email/outbound-emails' } });
    expect(sent).toHaveLength(1);
  });

  it('SES throttling is transient, a rejected message permanent', async () => {
    const failing = (name: string) =>
      new SesEmailSender({
        send: async () => {
          throw Object.assign(new Error('no'), { name });
        },
      } as never);
    const message = { from: 'a@example.com', to: ['b@example.com'], subject: 's', text: 't' };
    await expect(failing('TooManyRequestsException').send(message)).rejects.toBeInstanceOf(TransientActionError);
    await expect(failing('MessageRejected').send(message)).rejects.toBeInstanceOf(PermanentActionError);
  });
});

describe('target configuration', () => {
  it('names every malformed target and field; a secret written in place is refused', () => {
    expect(() =>
      parseTargets({
        a: { type: 'pagerduty', routingKey: 'R0UTINGKEY0123456789' },
        b: { type: 'carrier-pigeon' },
        c: { type: 'email', from: 'not-an-email', to: [] },
      }),
    ).toThrow(
      /targets\.a\.routingKey: the name of a FOGHORN_\* setting[\s\S]*targets\.b\.type[\s\S]*targets\.c\.from[\s\S]*targets\.c\.to/,
    );
  });

  it('a target with only a description records the escalation', async () => {
    const result = await executor({ comms: { description: 'PR desk' } }, {})(command({ target: 'comms' }));
    expect(result).toEqual({ status: 'succeeded', mode: 'sandbox' });
  });

  it('an unknown target fails for good and names the known ones', async () => {
    await expect(executor({ comms: null }, {})(command({ target: 'nobody' }))).rejects.toThrow(
      /'nobody' is not configured \(known: comms\)/,
    );
  });
});
