import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, makeWorkspace, type RuntimeProcess, startRuntimeProcess, waitFor } from '../../support/runtime-process.js';
import { fixture, keys, PUBLIC_KEY_HEX, signDiscord } from './request.js';

const RULE = `
id: e2e-discord-answer
description: Answer password questions
when:
  all:
    - { fact: text, operator: containsAny, value: ["reset my password"] }
then:
  - reply:
      text:
        default: "Use https://example.com/reset"
`;

interface RecordedAction {
  eventId: string;
  ruleId: string;
  status: string;
  mode?: string;
  request?: { method: string; url: string; body?: string };
}

/** A snowflake for now, so the interaction token is still fresh when the act step answers. */
function snowflakeNow(): string {
  return ((BigInt(Date.now()) - 1_420_070_400_000n) << 22n).toString();
}

describe('discord through the local runtime (npm start)', () => {
  let runtime: RuntimeProcess;
  beforeAll(async () => {
    runtime = await startRuntimeProcess({
      ...makeWorkspace({ 'answer.yaml': RULE }),
      env: { FOGHORN_DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX, FOGHORN_LOG_LEVEL: 'warn' },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('answers PING, refuses a bad signature, defers a slash command and follows up on its webhook (sandboxed)', async () => {
    const post = (body: Buffer, signature?: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      return fetch(`${runtime.url}/webhooks/discord`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-signature-timestamp': timestamp,
          'x-signature-ed25519': signature ?? signDiscord(keys.privateKey, timestamp, body),
        },
      });
    };
    expect(await (await post(fixture('ping.json'))).json()).toEqual({ type: 1 });
    expect((await post(fixture('ping.json'), '00'.repeat(64))).status).toBe(401);

    const id = snowflakeNow();
    const command = Buffer.from(JSON.stringify({ ...JSON.parse(fixture('slash-command.json').toString()), id }));
    const deferred = await post(command);
    expect(await deferred.json()).toEqual({ type: 5 });

    const action = await waitFor('the follow-up', async () => {
      const { actions } = await getJson<{ actions: RecordedAction[] }>(`${runtime.url}/api/actions?limit=1000`);
      return actions.find((candidate) => candidate.eventId === `discord:${id}` && candidate.status === 'succeeded');
    });
    expect(action).toMatchObject({ ruleId: 'e2e-discord-answer', mode: 'sandbox', request: { method: 'POST' } });
    expect(action.request?.url).toMatch(/^https:\/\/discord\.com\/api\/v10\/webhooks\/1167890123456789012\//);
    expect(JSON.parse(action.request?.body ?? '{}')).toEqual({ content: 'Use https://example.com/reset', allowed_mentions: { parse: [] } });
  });
});
