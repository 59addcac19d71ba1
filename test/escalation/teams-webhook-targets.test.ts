import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { actOn } from '../../functions/core/act.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { PermanentActionError, TransientActionError } from '../../functions/core/errors.js';
import { LiveSender, SandboxSender } from '../../functions/core/outbound/index.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { type EscalateExecutorOptions, escalateExecutor, settleEscalation } from '../../functions/escalation/escalate-executor.js';
import { parseTargets } from '../../functions/escalation/target-config.js';
import { memoryActionStore } from '../crisis/support/memory-action-store.js';
import { makeEvent } from '../support/events.js';
import { type LoopbackAnswer, type ReceivedRequest, startLoopback } from '../support/loopback.js';

const now = new Date('2026-12-02T03:00:00.000Z');
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function api(answer: (request: ReceivedRequest, index: number) => LoopbackAnswer) {
  const server = await startLoopback(answer);
  servers.push(server);
  return server;
}

function command(id = 'act_chat1'): ActionCommand {
  return {
    id,
    eventId: 'x:99',
    ruleId: 'outage',
    index: 0,
    type: 'escalate',
    createdAt: now.toISOString(),
    params: { target: 'chat', severity: 'critical', summary: 'Login outage reports' },
    event: makeEvent({
      id: 'x:99',
      platform: 'x',
      kind: 'mention',
      text: '@brand *login* is [down](https://evil.example)',
      url: 'https://x.com/sara/status/99',
      author: { id: '7', handle: 'sara' },
    }),
  };
}

function options(target: Record<string, unknown>, settings: Record<string, string>, timeoutMs = 5000): EscalateExecutorOptions {
  const targets = parseTargets({ chat: target });
  return {
    targets: () => targets,
    settings: settingsFrom(settings),
    live: new LiveSender({ timeoutMs }),
    sandbox: new SandboxSender(),
    forceSandbox: false,
    clock: { now: () => now },
    foghornBaseUrl: 'http://127.0.0.1:8787',
  };
}

describe('the teams target (incoming webhook or Workflows URL)', () => {
  it('posts one Adaptive Card message with the customer words quoted and links to the post and to Foghorn', async () => {
    // add-incoming-webhook: an incoming webhook answers 200 with body "1"; a Workflows URL answers 202.
    const teams = await api(() => ({ status: 200, body: '1' }));
    const run = escalateExecutor(
      options(
        { type: 'teams', url: 'FOGHORN_TEAMS_OPS_WEBHOOK' },
        { FOGHORN_TEAMS_OPS_WEBHOOK: `${teams.url}/webhookb2/abc@def/IncomingWebhook/0123456789abcdef/ghi` },
      ),
    );
    const result = await run(command());
    expect(teams.received).toHaveLength(1);
    const body = JSON.parse(teams.received[0]!.body);
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = body.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body[0].text).toBe('🚨 [CRITICAL] Login outage reports');
    expect(card.body.map((block: { text: string }) => block.text)).toContain('@brand \\*login\\* is \\[down\\](https://evil.example)');
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'On the platform', url: 'https://x.com/sara/status/99' },
      { type: 'Action.OpenUrl', title: 'In Foghorn', url: 'http://127.0.0.1:8787/conversation/x%3A99' },
    ]);
    expect(result).toMatchObject({ status: 'succeeded', mode: 'live' });
    // The webhook URL is the secret: the record never shows it.
    expect(result.request?.url).not.toContain('0123456789abcdef');
  });

  it('a 429 with Retry-After is transient with the wait; a 400 is permanent (dead-lettered by the act path)', async () => {
    const teams = await api((_r, index) =>
      index === 0
        ? { status: 429, headers: { 'retry-after': '30' }, body: 'Microsoft Teams endpoint returned HTTP error 429' }
        : { status: 400, body: 'Bad payload received by generic incoming webhook.' },
    );
    const given = options(
      { type: 'teams', url: 'FOGHORN_TEAMS_OPS_WEBHOOK' },
      { FOGHORN_TEAMS_OPS_WEBHOOK: `${teams.url}/hook-0123456789` },
    );
    const deps = {
      actions: memoryActionStore(),
      executors: { escalate: escalateExecutor(given) },
      clock: { now: () => now },
      leaseMs: 30_000,
    };
    const limited = await escalateExecutor(given)(command()).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(TransientActionError);
    expect((limited as TransientActionError).retryAfterMs).toBe(30_000);
    expect(await actOn(command('act_chat2'), deps)).toMatchObject({
      status: 'dead',
      reason: expect.stringContaining('teams refused the request (HTTP 400)'),
    });
  });

  it('a call that timed out is held for a person: Teams keeps no key to drop a repeat', async () => {
    const teams = await api(() => ({ status: 200, body: '1' }));
    const given = options(
      { type: 'teams', url: 'FOGHORN_TEAMS_OPS_WEBHOOK' },
      { FOGHORN_TEAMS_OPS_WEBHOOK: `${teams.url}/hook-0123456789` },
    );
    expect(await settleEscalation(given)(command())).toMatchObject({ settled: 'unknown' });
  });
});

describe('the webhook target (generic outgoing HTTPS)', () => {
  const secret = 'whsec-0123456789abcdefghij';

  it('signs the raw body with X-Foghorn-Signature: sha256=<hmac> and sends the command id as Idempotency-Key', async () => {
    const hook = await api(() => ({ status: 201, body: '{"id":"case-881"}' }));
    const run = escalateExecutor(
      options(
        { type: 'webhook', url: `${hook.url}/hooks/foghorn`, secret: 'FOGHORN_CRM_WEBHOOK_SECRET' },
        { FOGHORN_CRM_WEBHOOK_SECRET: secret },
      ),
    );
    const result = await run(command());
    const [received] = hook.received;
    expect(received!.url).toBe('/hooks/foghorn');
    expect(received!.headers['idempotency-key']).toBe('act_chat1');
    expect(received!.headers['x-foghorn-signature']).toBe(`sha256=${createHmac('sha256', secret).update(received!.body).digest('hex')}`);
    const body = JSON.parse(received!.body);
    expect(body).toMatchObject({
      type: 'foghorn.escalation',
      id: 'act_chat1',
      rule: 'outage',
      severity: 'critical',
      event: { id: 'x:99', platform: 'x', author: '@sara' },
      links: {
        event: 'http://127.0.0.1:8787/api/events/x%3A99',
        conversation: 'http://127.0.0.1:8787/conversation/x%3A99',
        platform: 'https://x.com/sara/status/99',
      },
    });
    expect(result).toMatchObject({ status: 'succeeded', mode: 'live', externalId: 'case-881' });
    expect(JSON.stringify(result.request)).not.toContain(secret);
  });

  it('a 429 is retried after Retry-After, a 410 dead-letters, and a retried or redelivered command carries the same key once delivered', async () => {
    const keys: string[] = [];
    const hook = await api((request, index) => {
      keys.push(String(request.headers['idempotency-key']));
      if (index === 0) return { status: 429, headers: { 'retry-after': '5' }, body: '' };
      if (index === 2) return { status: 410, body: '{"error":"endpoint removed"}' };
      return { status: 200, body: '{}' };
    });
    const given = options({ type: 'webhook', url: hook.url, secret: 'FOGHORN_CRM_WEBHOOK_SECRET' }, { FOGHORN_CRM_WEBHOOK_SECRET: secret });
    const deps = {
      actions: memoryActionStore(),
      executors: { escalate: escalateExecutor(given) },
      clock: { now: () => now },
      leaseMs: 30_000,
    };
    expect(await actOn(command('act_w1'), deps)).toMatchObject({ status: 'retry', retryAfterMs: 5000 });
    expect(await actOn(command('act_w1'), deps)).toMatchObject({ status: 'done' });
    expect(await actOn(command('act_w1'), deps)).toEqual({ status: 'skipped' });
    expect(keys).toEqual(['act_w1', 'act_w1']);
    expect(await actOn(command('act_w2'), deps)).toMatchObject({ status: 'dead', reason: expect.stringContaining('HTTP 410') });
    // After a timeout the same request, with the same key, is sent again: a receiver honouring it acts once.
    expect(await settleEscalation(given)(command('act_w3'))).toMatchObject({ settled: 'retry' });
  });

  it('without its secret records the signed request in sandbox mode and sends nothing', async () => {
    const hook = await api(() => ({ status: 200, body: '{}' }));
    const result = await escalateExecutor(options({ type: 'webhook', url: hook.url, secret: 'FOGHORN_CRM_WEBHOOK_SECRET' }, {}))(command());
    expect(hook.received).toHaveLength(0);
    expect(result).toMatchObject({ status: 'succeeded', mode: 'sandbox' });
    expect(result.request?.headers['idempotency-key']).toBe('act_chat1');
  });

  it('refuses a webhook target without a secret reference, or with a secret written in the config', () => {
    expect(() => parseTargets({ crm: { type: 'webhook', url: 'https://crm.example.com/hook' } })).toThrow(/targets\.crm\.secret/);
    expect(() => parseTargets({ crm: { type: 'webhook', url: 'https://crm.example.com/hook', secret: 'hunter2hunter2' } })).toThrow(
      /FOGHORN_\* setting/,
    );
  });

  it('takes credentials and signed bodies over HTTPS only (plain HTTP to this machine, for tests)', () => {
    expect(() => parseTargets({ crm: { type: 'webhook', url: 'http://crm.example.com/hook', secret: 'FOGHORN_CRM_SECRET' } })).toThrow(
      /targets\.crm\.url: an https:\/\/ URL/,
    );
    expect(() => parseTargets({ desk: { type: 'zendesk', url: 'http://acme.zendesk.com' } })).toThrow(/targets\.desk\.url/);
    expect(parseTargets({ desk: { type: 'zendesk', url: 'https://acme.zendesk.com' } }).get('desk')).toMatchObject({
      email: 'FOGHORN_ZENDESK_EMAIL',
      token: 'FOGHORN_ZENDESK_API_TOKEN',
      tags: [],
    });
  });
});

describe('the run-time errors', () => {
  it('a helpdesk target in a runtime without a ticket store fails for good, naming why', async () => {
    const given = options(
      { type: 'zendesk', url: 'http://127.0.0.1:9' },
      { FOGHORN_ZENDESK_EMAIL: 'a@b.example', FOGHORN_ZENDESK_API_TOKEN: 'token-0123456789' },
    );
    await expect(escalateExecutor(given)(command())).rejects.toThrow(PermanentActionError);
    await expect(escalateExecutor(given)(command())).rejects.toThrow(/no ticket store/);
  });
});
