import type { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterEach, describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { SesEmailSender } from '../../functions/aws/ses-email-sender.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { LiveSender, SandboxSender } from '../../functions/core/outbound/index.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { withCrisis } from '../../functions/crisis/crisis-rule-set.js';
import {
  memoryAuditLog,
  memoryCounterStore,
  memoryCrisisStore,
  memoryEpisodeStore,
  memoryTimerStore,
} from '../../functions/crisis/memory/index.js';
import { crisisRuleOptions } from '../../functions/crisis/rule-options.js';
import { escalateExecutor } from '../../functions/escalation/escalate-executor.js';
import { parseTargets } from '../../functions/escalation/target-config.js';
import { buildRuleSet, compileSources, memoryRuleState, parseFoghornConfig } from '../../functions/rules/index.js';
import { makeEvent } from '../support/events.js';
import { type LoopbackAnswer, type ReceivedRequest, startLoopback } from '../support/loopback.js';

/**
 * The digest a human acts on: for a spike, the rule, the count over the window, the baseline, and the
 * latest matching events (text, author, platform link, link in Foghorn), rendered into each target's
 * format and checked as the loopback servers received it.
 */
const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const FOGHORN = 'http://127.0.0.1:8787';
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function api(answer: (request: ReceivedRequest, index: number) => LoopbackAnswer) {
  const server = await startLoopback(answer);
  servers.push(server);
  return server;
}

const report = (i: number, extra: Partial<CanonicalEvent> = {}) =>
  makeEvent({
    id: `x:${i}`,
    platform: 'x',
    kind: 'mention',
    text: `@brand login is down (${i})`,
    url: `https://x.com/user${i}/status/${i}`,
    author: { id: `u${i}`, handle: `user${i}` },
    createdAt: new Date(T0 + i * 60_000).toISOString(),
    ...extra,
  });

/** Seven reports over seven minutes through the real rules and crisis layer: the seventh opens the spike. */
async function spikeCommand(): Promise<ActionCommand> {
  const config = parseFoghornConfig({ targets: { oncall: {} } }, undefined, { extensions: ruleLanguage });
  const text = `
id: outage-spike
when: { all: [{ fact: text, operator: containsAny, value: ["down"] }] }
volume: { atLeast: 7, within: 10m, baseline: { factor: 2, over: 20m, minCount: 5 } }
then: [{ escalate: { target: oncall, severity: critical, summary: "Login outage reports are spiking" } }]
`;
  const options = crisisRuleOptions(compileSources([{ file: 'spike.yaml', text }], config, { extensions: ruleLanguage }).rules);
  const ruleSet = withCrisis(buildRuleSet([{ file: 'spike.yaml', text }], config, { extensions: ruleLanguage }), () => options, {
    counters: memoryCounterStore(),
    episodes: memoryEpisodeStore(),
    timers: memoryTimerStore(),
    crisis: memoryCrisisStore(),
    audit: memoryAuditLog(),
  });
  const state = memoryRuleState();
  let opened: ActionCommand | undefined;
  for (let i = 0; i < 7; i++) {
    const event =
      i === 6
        ? report(i, { text: 'Still down <!channel> & <https://evil.example|click>\nsecond line', author: { id: 'u6', name: 'Sam Writer' } })
        : report(i);
    const decision = await ruleSet.evaluate(event, { now: new Date(T0 + i * 60_000), state });
    const action = decision.actions.find((candidate) => candidate.type === 'escalate');
    if (action)
      opened = {
        id: 'act_spike',
        eventId: event.id,
        ruleId: action.ruleId,
        index: action.index,
        type: 'escalate',
        params: action.params,
        event,
        createdAt: event.createdAt,
      };
  }
  if (!opened) throw new Error('the spike did not open');
  return opened;
}

function executor(targets: Record<string, unknown>, settings: Record<string, string>, email?: SesEmailSender) {
  const parsed = parseTargets(targets);
  return escalateExecutor({
    targets: () => parsed,
    settings: settingsFrom(settings),
    live: new LiveSender({ timeoutMs: 5000 }),
    sandbox: new SandboxSender(),
    forceSandbox: false,
    clock: { now: () => new Date(T0) },
    foghornBaseUrl: FOGHORN,
    ...(email ? { email } : {}),
  });
}

const link = (i: number) => `${FOGHORN}/api/events/x%3A${i}`;

describe('the spike digest', () => {
  it('carries the count, the window, the baseline and the five latest events, newest first', async () => {
    const command = await spikeCommand();
    expect(command.params).toMatchObject({ count: 7, windowMinutes: 10, baseline: 0 });
    expect((command.params.samples as Array<{ id: string }>).map((sample) => sample.id)).toEqual(['x:6', 'x:5', 'x:4', 'x:3', 'x:2']);
  });

  it('PagerDuty: custom_details list the samples, links point at each one', async () => {
    const pd = await api(() => ({ status: 202, body: '{"status":"success","dedup_key":"k"}' }));
    const command = await spikeCommand();
    await executor(
      { oncall: { type: 'pagerduty', routingKey: 'FOGHORN_PD_KEY', url: pd.url } },
      { FOGHORN_PD_KEY: 'R0UTINGKEY0123456789' },
    )({ ...command, params: { ...command.params, target: 'oncall' } });
    const body = JSON.parse(pd.received[0]!.body);
    expect(body.payload.custom_details).toMatchObject({ rule: 'outage-spike', count: 7, window_minutes: 10, baseline: 0 });
    expect(body.payload.custom_details.samples).toHaveLength(5);
    expect(body.payload.custom_details.samples[1]).toEqual({
      author: '@user5',
      text: '@brand login is down (5)',
      at: new Date(T0 + 5 * 60_000).toISOString(),
      platform: 'x',
      link: 'https://x.com/user5/status/5',
      foghorn: link(5),
    });
    expect(body.payload.custom_details.samples[0]).toMatchObject({ author: 'Sam Writer', foghorn: link(6) });
    expect(body.links.map((entry: { href: string }) => entry.href)).toEqual(
      [6, 5, 4, 3, 2].map((i) => `https://x.com/user${i}/status/${i}`),
    );
  });

  it('Opsgenie: the description lists the samples; details carry count, window, baseline and one entry per sample', async () => {
    const og = await api(() => ({ status: 202, body: '{"result":"Request will be processed","requestId":"r"}' }));
    const command = await spikeCommand();
    await executor(
      { managers: { type: 'opsgenie', apiKey: 'FOGHORN_OG_KEY', url: og.url } },
      { FOGHORN_OG_KEY: 'genie-key-0123456789' },
    )({ ...command, params: { ...command.params, target: 'managers' } });
    const body = JSON.parse(og.received[0]!.body);
    expect(body.description).toContain('Rule: outage-spike · 7 matching events in 10 min (trailing average 0)');
    expect(body.description).toContain(
      `• @user4 on x at ${new Date(T0 + 4 * 60_000).toISOString()}: "@brand login is down (4)" · https://x.com/user4/status/4 · In Foghorn: ${link(4)}`,
    );
    expect(body.details).toMatchObject({ count: '7', window: '10 min', baseline: '0.0' });
    expect(Object.keys(body.details).filter((key) => key.startsWith('sample '))).toHaveLength(5);
    expect(Object.values(body.details).every((value) => typeof value === 'string')).toBe(true);
  });

  it('Slack: blocks with one section per sample, user text escaped so it cannot mention or link; text as fallback', async () => {
    const hook = await api(() => ({ status: 200, body: 'ok' }));
    const channel = await api(() => ({ status: 200, body: '{"ok":true,"ts":"1.2"}' }));
    const command = await spikeCommand();
    await executor(
      { team: { type: 'slack-webhook', url: 'FOGHORN_HOOK' } },
      { FOGHORN_HOOK: `${hook.url}/services/T/B/SECRET0123` },
    )({ ...command, params: { ...command.params, target: 'team' } });
    await executor(
      { social: { type: 'slack-channel', channel: 'C1', url: channel.url } },
      { FOGHORN_SLACK_BOT_TOKEN: 'xoxb-0123456789' },
    )({ ...command, params: { ...command.params, target: 'social' } });
    for (const body of [JSON.parse(hook.received[0]!.body), JSON.parse(channel.received[0]!.body)]) {
      expect(body.text).toContain('The latest 5 of 7:');
      const sections = body.blocks
        .filter((block: { type: string }) => block.type === 'section')
        .map((block: { text: { text: string } }) => block.text.text);
      expect(sections[0]).toBe('Rule `outage-spike` · 7 matching events in 10 min (trailing average 0)');
      expect(sections.slice(1)).toHaveLength(5);
      expect(sections[1]).toBe(
        `<https://x.com/user6/status/6|Sam Writer> · x mention · ${new Date(T0 + 6 * 60_000).toISOString()}\n>Still down &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;\n>second line`,
      );
      const contexts = body.blocks
        .filter((block: { type: string }) => block.type === 'context')
        .map((block: { elements: Array<{ text: string }> }) => block.elements[0]!.text);
      expect(contexts).toContain(`<${link(5)}|In Foghorn> · <https://x.com/user5/status/5|On the platform>`);
      expect(body.blocks[0]).toEqual({
        type: 'header',
        text: { type: 'plain_text', text: '🚨 CRITICAL: Login outage reports are spiking', emoji: true },
      });
    }
  });

  it('Telegram and email: the plain-text digest with every sample and its links', async () => {
    const tg = await api(() => ({ status: 200, body: '{"ok":true,"result":{"message_id":5,"chat":{"id":-100}}}' }));
    const sent: SendEmailCommand[] = [];
    const ses = new SesEmailSender({
      send: async (input: unknown) => {
        sent.push(input as SendEmailCommand);
        return { MessageId: 'm-1', $metadata: {} };
      },
    } as never);
    const command = await spikeCommand();
    await executor(
      { room: { type: 'telegram', chatId: -100, url: tg.url } },
      { FOGHORN_TELEGRAM_BOT_TOKEN: '123:ABCDEFGHIJ' },
    )({ ...command, params: { ...command.params, target: 'room' } });
    await executor(
      { pr: { type: 'email', from: 'foghorn@example.com', to: ['pr@example.com'] } },
      {},
      ses,
    )({ ...command, params: { ...command.params, target: 'pr' } });
    const texts = [JSON.parse(tg.received[0]!.body).text as string, sent[0]!.input.Content!.Simple!.Body!.Text!.Data!];
    for (const text of texts) {
      expect(text.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(5);
      for (const i of [2, 3, 4, 5]) expect(text).toContain(`https://x.com/user${i}/status/${i} · In Foghorn: ${link(i)}`);
      expect(text).toContain('Sam Writer on x');
      expect(text).not.toContain('@brand login is down (1)');
    }
  });

  it('a single-event escalation shows the event itself, and a sample with a non-web link loses the link', async () => {
    const hook = await api(() => ({ status: 200, body: 'ok' }));
    const run = executor({ team: { type: 'slack-webhook', url: 'FOGHORN_HOOK' } }, { FOGHORN_HOOK: `${hook.url}/services/T/B/SECRET0123` });
    const event = report(1);
    await run({
      id: 'a1',
      eventId: event.id,
      ruleId: 'complaint',
      index: 0,
      type: 'escalate',
      params: { target: 'team', summary: 'A complaint' },
      event,
      createdAt: event.createdAt,
    });
    await run({
      id: 'a2',
      eventId: event.id,
      ruleId: 'complaint',
      index: 0,
      type: 'escalate',
      event,
      createdAt: event.createdAt,
      params: {
        target: 'team',
        summary: 'x',
        count: 2,
        samples: [{ id: 'x:9', text: 'hi', author: '@a', link: 'javascript:alert(1)' }, 'junk'],
      },
    });
    const single = JSON.parse(hook.received[0]!.body);
    expect(single.text).toContain('x mention from @user1');
    expect(single.text).toContain('On the platform: https://x.com/user1/status/1');
    expect(single.blocks.filter((block: { type: string }) => block.type === 'section')).toHaveLength(2);
    const odd = JSON.parse(hook.received[1]!.body);
    expect(odd.text).not.toContain('javascript:');
    expect(odd.text).toContain(`• @a on  at : "hi" · In Foghorn: ${FOGHORN}/api/events/x%3A9`);
  });
});
