import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, makeWorkspace, postGeneric, type RuntimeProcess, startRuntimeProcess, waitFor } from '../support/runtime-process.js';

const HELP_RULE = `
id: e2e-help
description: Answer anyone asking for help
when:
  all:
    - { fact: text, operator: containsAny, value: ["help"] }
then:
  - reply:
      text:
        default: "Hi {{author.name}}, we are on it."
`;

interface ActionsBody {
  actions: Array<{
    id: string;
    eventId: string;
    ruleId: string;
    type: string;
    status: string;
    mode?: string;
    request?: { method: string; url: string; headers: Record<string, string>; body?: string };
  }>;
}
interface EventsBody {
  events: Array<{ id: string; text: string }>;
}

function genericEvent(id: string, text: string) {
  return { id, kind: 'message', text, author: { id: 'u-1', name: 'Layla' }, channel: { id: 'support' } };
}

describe('local runtime, end to end (npm start)', () => {
  let runtime: RuntimeProcess;

  beforeAll(async () => {
    runtime = await startRuntimeProcess({
      ...makeWorkspace({ 'help.yaml': HELP_RULE }),
      env: { FOGHORN_GENERIC_REPLY_URL: '', FOGHORN_LOG_LEVEL: 'warn' },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('answers /health', async () => {
    const health = await getJson<{ ok: boolean; rules: number }>(`${runtime.url}/health`);
    expect(health).toMatchObject({ ok: true, rules: 1 });
  });

  it('turns a signed event that a rule matches into one sandboxed reply, however often it is posted', async () => {
    const event = genericEvent('e2e-1', 'I need help with my order');
    const first = await postGeneric(runtime.url, event);
    const second = await postGeneric(runtime.url, event);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);

    const action = await waitFor('the reply action', async () => {
      const { actions } = await getJson<ActionsBody>(`${runtime.url}/api/actions?limit=100`);
      return actions.find((a) => a.eventId === 'generic:e2e-1' && a.status === 'succeeded');
    });
    expect(action).toMatchObject({ ruleId: 'e2e-help', type: 'reply', mode: 'sandbox' });
    expect(action.request?.method).toBe('POST');
    expect(JSON.parse(action.request?.body ?? '{}')).toMatchObject({ type: 'reply', inReplyTo: 'e2e-1', text: 'Hi Layla, we are on it.' });
    // The recorded request never carries the signing secret itself.
    expect(JSON.stringify(action.request)).not.toContain('e2e-generic-secret');

    // Give a duplicate time to show up if it were going to, then count.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { events } = await getJson<EventsBody>(`${runtime.url}/api/events?limit=1000`);
    const { actions } = await getJson<ActionsBody>(`${runtime.url}/api/actions?limit=1000`);
    expect(events.filter((e) => e.id === 'generic:e2e-1')).toHaveLength(1);
    expect(actions.filter((a) => a.eventId === 'generic:e2e-1')).toHaveLength(1);
  });

  it('stores an event no rule matches, without actions', async () => {
    expect((await postGeneric(runtime.url, genericEvent('e2e-quiet', 'lovely weather'))).status).toBe(200);
    await waitFor('the event', async () => {
      const { events } = await getJson<EventsBody>(`${runtime.url}/api/events?limit=100`);
      return events.find((e) => e.id === 'generic:e2e-quiet');
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { actions } = await getJson<ActionsBody>(`${runtime.url}/api/actions?limit=1000`);
    expect(actions.filter((a) => a.eventId === 'generic:e2e-quiet')).toEqual([]);
  });

  it('answers bad input with a 4xx that says what is wrong', async () => {
    const unsigned = await fetch(`${runtime.url}/webhooks/generic`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: 'missing x-foghorn-signature header' });
    const tooLarge = await postGeneric(runtime.url, genericEvent('big', 'x'.repeat(300 * 1024)));
    expect(tooLarge.status).toBe(413);
    const invalid = await postGeneric(runtime.url, { ...genericEvent('bad-kind', 'help'), kind: 'telepathy' });
    expect(invalid.status).toBe(422);
    expect(JSON.stringify(await invalid.json())).toContain('kind');
    const unknown = await fetch(`${runtime.url}/webhooks/myspace`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
  });

  it('caps the listing limit and lists newest first', async () => {
    for (const id of ['order-1', 'order-2']) await postGeneric(runtime.url, genericEvent(id, 'hello'));
    const { events } = await getJson<EventsBody>(`${runtime.url}/api/events?limit=2`);
    expect(events.map((e) => e.id)).toEqual(['generic:order-2', 'generic:order-1']);
  });
});
