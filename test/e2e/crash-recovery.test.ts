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

const BURST = 5000;
const KILL_AFTER_ACCEPTED = 2000;
const SENDERS = 32;

function message(index: number) {
  const id = `burst-${index}`;
  return { id, kind: 'message', text: `message ${id}`, author: { id: `author-${id}`, name: 'Ada' }, channel: { id: 'c' } };
}

/**
 * Senders posting `ids` to `url`; each id answered 2xx is accepted, the others (refused, reset) are left for a retry,
 * as a platform retries a delivery it got no 2xx for. `stop` is asked before each new delivery.
 */
async function send(url: string, ids: number[], accepted: Set<number>, stop: () => boolean): Promise<number[]> {
  const unanswered: number[] = [];
  let next = 0;
  const sender = async () => {
    while (next < ids.length && !stop()) {
      const index = ids[next++]!;
      try {
        const response = await postGeneric(url, message(index));
        if (response.status >= 200 && response.status < 300) accepted.add(index);
        else unanswered.push(index);
      } catch {
        unanswered.push(index);
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return [...unanswered, ...ids.slice(next)];
}

describe('a 5,000-webhook burst survives SIGKILL (the embedded store)', () => {
  let runtime: RuntimeProcess | undefined;
  afterAll(async () => {
    await runtime?.stop();
  });

  it('processes every webhook exactly once: those answered 2xx before the kill, and the rest retried after the restart', async () => {
    // Prepare
    const workspace = makeWorkspace({ 'everyone.yaml': EVERYONE_RULE });
    const env = { FOGHORN_ACTION_LEASE_MS: '3000' };
    runtime = await startRuntimeProcess({ ...workspace, env });
    const first = runtime;
    expect(first.output()).toContain('"engine":"embedded"');
    const acceptedBefore = new Set<number>();
    let killed: Promise<void> | undefined;

    // Act: killed once enough were answered, with a full set of deliveries in flight.
    const all = Array.from({ length: BURST }, (_, index) => index);
    const left = await send(first.url, all, acceptedBefore, () => {
      if (acceptedBefore.size >= KILL_AFTER_ACCEPTED) killed ??= first.kill();
      return killed !== undefined;
    });
    await killed;
    runtime = await startRuntimeProcess({ ...workspace, env });
    const restarted = runtime;
    const acceptedAfter = new Set<number>();
    const neverAnswered = await send(restarted.url, left, acceptedAfter, () => false);

    // Assess
    expect(acceptedBefore.size).toBeGreaterThanOrEqual(KILL_AFTER_ACCEPTED);
    expect(acceptedBefore.size).toBeLessThan(BURST);
    expect(neverAnswered).toEqual([]);
    // Listing 5,000 actions is work for the runtime: it is asked only once the queues are empty.
    const actions = await waitFor(
      'an action for every webhook',
      async () => {
        const health = await getJson<{ queues: Record<string, { total: number }> }>(`${restarted.url}/health`);
        if (Object.values(health.queues).some((depth) => depth.total > 0)) return undefined;
        const body = await getJson<{ actions: Array<{ eventId: string; status: string }> }>(`${restarted.url}/api/actions?limit=10000`);
        return body.actions.filter((action) => action.status === 'succeeded').length >= BURST ? body.actions : undefined;
      },
      120_000,
    );
    const { events } = await getJson<{ events: Array<{ id: string }> }>(`${restarted.url}/api/events?limit=10000`);
    const stored = new Set(events.map((event) => event.id));
    for (const index of acceptedBefore) expect(stored.has(`generic:burst-${index}`), `burst-${index} got a 2xx but was lost`).toBe(true);
    expect(events.length).toBe(BURST);
    expect(stored.size).toBe(BURST);
    const perEvent = new Map<string, number>();
    for (const action of actions) perEvent.set(action.eventId, (perEvent.get(action.eventId) ?? 0) + 1);
    expect(perEvent.size).toBe(BURST);
    expect([...perEvent].filter(([, count]) => count !== 1)).toEqual([]);
    expect(actions.every((action) => action.status === 'succeeded')).toBe(true);
  }, 180_000);
});
