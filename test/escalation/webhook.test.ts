import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { startLoopback } from '../support/loopback.js';
import { makeWorkspace, postGeneric, TEST_GENERIC_SECRET, waitForQueuesToDrain } from '../support/runtime-process.js';

/**
 * The webhook target as the local runtime assembles it (in process, the embedded store): each message of a
 * conversation is its own signed call, and every call names the conversation, so a receiver can put them together.
 */
const RULE = `
id: refunds-to-crm
description: Refund complaints go to the CRM
when:
  all:
    - { fact: text, operator: containsAny, value: ["refund"] }
then:
  - escalate: { target: crm, severity: high, summary: "Refund complaint" }
`;
const SECRET = 'whsec-local-0123456789abcdef';

describe('the webhook target through the local runtime', () => {
  let runtime: Runtime;
  const crm = startLoopback(() => ({ status: 200, body: '{}' }));

  beforeAll(async () => {
    const { dataDir, rulesDir } = makeWorkspace({ 'refunds.yaml': RULE });
    writeFileSync(
      join(dirname(rulesDir), 'foghorn.config.yaml'),
      `targets:\n  crm: { type: webhook, url: "${(await crm).url}/hooks/foghorn", secret: FOGHORN_CRM_WEBHOOK_SECRET }\n`,
    );
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir,
      logger: { info() {}, warn() {}, error() {} },
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET, FOGHORN_CRM_WEBHOOK_SECRET: SECRET }),
      crisisSweepEveryMs: 3_600_000,
    });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    await (await crm).close();
  });

  it('sends one signed call per message of a conversation, each naming the conversation and under its own key', async () => {
    for (const [id, thread] of [
      ['m1', { id: 'th1' }],
      ['m2', { id: 'th1', replyToId: 'm1' }],
    ] as const) {
      const response = await postGeneric(runtime.url, {
        id,
        kind: 'message',
        text: 'my refund never came',
        author: { id: 'a1', name: 'Ada' },
        channel: { id: 'c1' },
        thread,
      });
      expect(response.status).toBe(200);
      await waitForQueuesToDrain(runtime.url);
    }
    const received = (await crm).received;
    expect(received).toHaveLength(2);
    for (const request of received)
      expect(request.headers['x-foghorn-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`);
    const bodies = received.map((request) => JSON.parse(request.body));
    expect(bodies.map((body) => body.event.id)).toEqual(['generic:m1', 'generic:m2']);
    expect(bodies.map((body) => body.conversation)).toEqual(['generic|c1|th1', 'generic|c1|th1']);
    const keys = received.map((request) => request.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(2);
    expect(keys).toEqual(bodies.map((body) => body.id));
  });
});
