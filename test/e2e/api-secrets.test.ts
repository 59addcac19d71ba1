import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactionMarker } from '../../functions/core/outbound/index.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { signGeneric } from '../../functions/platforms/generic/verify.js';
import { fixture, keys, PUBLIC_KEY_HEX, signDiscord } from '../platforms/discord/request.js';
import { TEST_API_AUTHORIZATION, TEST_API_TOKEN } from '../support/api-token.js';
import { waitFor } from '../support/runtime-process.js';

const RULE = `
id: secrets-discord-answer
when:
  all:
    - { fact: text, operator: containsAny, value: ["reset my password"] }
then:
  - reply:
      text:
        default: "Use https://example.com/reset"
`;
const GENERIC_SECRET = 'api-secrets-generic';
const TOKEN = JSON.parse(fixture('slash-command.json').toString()).token as string;
const GENERIC_TOKEN = 'generic-meta-access-token-0123456789';
const JSON_TYPE = { 'content-type': 'application/json' };

/** A snowflake for now, so the interaction token is still fresh when the approved reply is sent. */
function snowflakeNow(): string {
  return ((BigInt(Date.now()) - 1_420_070_400_000n) << 22n).toString();
}

interface Approval {
  id: string;
  status: string;
  command?: { eventId: string; event: { meta?: Record<string, unknown> } };
}

describe('secrets in events stay out of every API answer (Discord interaction tokens)', () => {
  let runtime: Runtime;
  const id = snowflakeNow();
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-secrets-'));
    writeFileSync(join(root, 'answer.yaml'), RULE);
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: root,
      settings: settingsFrom({
        FOGHORN_DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX,
        FOGHORN_GENERIC_SECRET: GENERIC_SECRET,
        FOGHORN_API_TOKEN: TEST_API_TOKEN,
      }),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      forceSandbox: true,
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const get = async (path: string) => {
    const response = await fetch(`${runtime.url}${path}`);
    expect(response.status, path).toBe(200);
    return { text: await response.clone().text(), json: (await response.json()) as Record<string, unknown> };
  };
  const post = (path: string, body: unknown) =>
    fetch(`${runtime.url}${path}`, { method: 'POST', headers: { ...JSON_TYPE, ...TEST_API_AUTHORIZATION }, body: JSON.stringify(body) });
  const postDiscord = (raw: Buffer) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return fetch(`${runtime.url}/webhooks/discord`, {
      method: 'POST',
      body: raw,
      headers: { ...JSON_TYPE, 'x-signature-timestamp': timestamp, 'x-signature-ed25519': signDiscord(keys.privateKey, timestamp, raw) },
    });
  };

  it('holds the interaction in crisis mode, and no listing, event or approval carries its token', async () => {
    // Prepare: crisis mode holds the reply, so the command (with the event and its meta) waits in the approval queue.
    expect((await post('/api/crisis/on', { who: 'maya', why: 'secrets test' })).status).toBe(200);
    const slash = Buffer.from(JSON.stringify({ ...JSON.parse(fixture('slash-command.json').toString()), id }));
    expect(await (await postDiscord(slash)).json()).toEqual({ type: 5 });
    const genericBody = JSON.stringify({
      id: 'secrets-1',
      kind: 'message',
      text: 'hello',
      author: { id: '42' },
      channel: { id: 'web' },
      meta: { accessToken: GENERIC_TOKEN, nested: { clientSecret: GENERIC_TOKEN }, note: 'kept' },
    });
    const generic = await fetch(`${runtime.url}/webhooks/generic`, {
      method: 'POST',
      headers: { ...JSON_TYPE, 'x-foghorn-signature': signGeneric(GENERIC_SECRET, genericBody) },
      body: genericBody,
    });
    expect(generic.status).toBe(200);
    // A delivery that cannot be normalised is quarantined (an interaction without its user).
    const { member: _member, ...withoutUser } = JSON.parse(slash.toString()) as Record<string, unknown>;
    expect((await postDiscord(Buffer.from(JSON.stringify({ ...withoutUser, id: `${BigInt(id) + 1n}` })))).status).toBe(422);
    const approval = await waitFor('the held reply', async () => {
      const { json } = await get('/api/approvals?status=pending');
      return (json.approvals as Approval[]).find((candidate) => candidate.command?.eventId === `discord:${id}`);
    });

    // Act + Assess
    for (const path of [
      '/api/events',
      `/api/events/discord:${id}`,
      '/api/events/generic:secrets-1',
      '/api/actions',
      '/api/approvals?status=all',
      '/api/quarantine',
      '/api/dead-letters',
      '/api/audit',
    ]) {
      const { text } = await get(path);
      expect(text, path).not.toContain(TOKEN);
      expect(text, path).not.toContain(GENERIC_TOKEN);
    }
    const { json: one } = await get(`/api/events/discord:${id}`);
    expect((one.event as { meta: Record<string, unknown> }).meta).toMatchObject({
      interactionToken: redactionMarker(TOKEN),
      applicationId: '1167890123456789012',
      command: 'ask',
    });
    expect(approval.command?.event.meta?.interactionToken).toBe(redactionMarker(TOKEN));
    const { json: other } = await get('/api/events/generic:secrets-1');
    expect((other.event as { meta: unknown }).meta).toEqual({
      accessToken: redactionMarker(GENERIC_TOKEN),
      nested: { clientSecret: redactionMarker(GENERIC_TOKEN) },
      note: 'kept',
    });
  });

  it('keeps the token where it is stored: the approved reply still follows up on the interaction webhook', async () => {
    const { json } = await get('/api/approvals?status=pending');
    const held = (json.approvals as Approval[]).find((candidate) => candidate.command?.eventId === `discord:${id}`);
    expect(held).toBeDefined();

    const approved = await post(`/api/approvals/${held?.id}/approve`, { who: 'maya' });
    expect(approved.status).toBe(200);
    expect(await approved.text()).not.toContain(TOKEN);

    const action = await waitFor('the follow-up', async () => {
      const { json: listed } = await get('/api/actions?limit=1000');
      return (listed.actions as Array<{ eventId: string; status: string; request?: { url: string } }>).find(
        (candidate) => candidate.eventId === `discord:${id}` && candidate.status === 'succeeded',
      );
    });
    // The sandbox recorded the follow-up URL, which only the stored token can build; the record redacts it.
    expect(action.request?.url).toBe(`https://discord.com/api/v10/webhooks/1167890123456789012/${redactionMarker(TOKEN)}`);
  });
});
