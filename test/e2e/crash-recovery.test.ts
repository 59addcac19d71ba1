import { afterAll, describe, expect, it } from 'vitest';
import { getJson, makeWorkspace, postGeneric, type RuntimeProcess, startRuntimeProcess, waitFor } from '../support/runtime-process.js';

const EVERYONE_RULE = `
id: answer-everyone
description: Reply to every message (for the crash test)
when:
  all:
    - { fact: kind, operator: equal, value: message }
then:
  - reply:
      text:
        default: "Thanks {{author.name}}"
limits:
  perMinute: 100000
`;

const BURST = 500;
const KILL_AFTER_ACCEPTED = 200;

describe('a burst of webhooks survives SIGKILL', () => {
  let runtime: RuntimeProcess | undefined;
  afterAll(async () => {
    await runtime?.stop();
  });

  it('processes every event that got a 2xx exactly once after a restart', async () => {
    const workspace = makeWorkspace({ 'everyone.yaml': EVERYONE_RULE });
    runtime = await startRuntimeProcess({ ...workspace, env: { FOGHORN_ACTION_LEASE_MS: '3000' } });
    const first = runtime;
    const accepted = new Set<string>();
    let killed: Promise<void> | undefined;

    // 25 concurrent senders; the process is killed as soon as enough deliveries were accepted.
    let next = 0;
    const sender = async () => {
      while (next < BURST) {
        const id = `burst-${next++}`;
        try {
          const response = await postGeneric(first.url, {
            id,
            kind: 'message',
            text: `message ${id}`,
            author: { id: `author-${id}`, name: 'Ada' },
            channel: { id: 'c' },
          });
          if (response.status >= 200 && response.status < 300) accepted.add(`generic:${id}`);
        } catch {
          // Connection refused or reset: the platform was not told 2xx, so it would retry; not ours to keep.
        }
        if (accepted.size >= KILL_AFTER_ACCEPTED && !killed) killed = first.kill();
      }
    };
    await Promise.all(Array.from({ length: 25 }, sender));
    await killed;
    expect(accepted.size).toBeGreaterThanOrEqual(KILL_AFTER_ACCEPTED);
    expect(accepted.size).toBeLessThan(BURST);

    runtime = await startRuntimeProcess({ ...workspace, env: { FOGHORN_ACTION_LEASE_MS: '3000' } });
    const restarted = runtime;
    const actions = await waitFor(
      'an action for every accepted event',
      async () => {
        const body = await getJson<{ actions: Array<{ eventId: string; status: string }> }>(`${restarted.url}/api/actions?limit=10000`);
        const done = body.actions.filter((a) => a.status === 'succeeded' && accepted.has(a.eventId));
        return done.length >= accepted.size ? body.actions : undefined;
      },
      60_000,
    );

    const { events } = await getJson<{ events: Array<{ id: string }> }>(`${restarted.url}/api/events?limit=10000`);
    const stored = new Set(events.map((e) => e.id));
    for (const id of accepted) expect(stored.has(id), `event ${id} got a 2xx but was lost`).toBe(true);
    expect(events.length).toBe(stored.size);

    const perEvent = new Map<string, number>();
    for (const action of actions) perEvent.set(action.eventId, (perEvent.get(action.eventId) ?? 0) + 1);
    for (const id of accepted) expect(perEvent.get(id), `actions for ${id}`).toBe(1);
    expect([...perEvent.values()].every((count) => count === 1)).toBe(true);
  }, 120_000);
});
