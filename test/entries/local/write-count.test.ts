import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFrom } from '../../../functions/core/settings.js';
import type { StoreStats } from '../../../functions/entries/local/local-store.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { EmbeddedDatabase, type WriteTx } from '../../../functions/storage/embedded/database.js';
import { getJson, postGeneric, waitFor } from '../../support/runtime-process.js';

const SECRET = 'count-secret';
const AUTO_REPLY = `
id: count-auto-reply
when:
  all:
    - { fact: kind, operator: equal, value: message }
then:
  - reply:
      text:
        default: "Thanks {{author.name}}"
`;
const WEBHOOKS = 20;
const HOUR_MS = 3_600_000;

/** A key's record type: its first segment (two for the crisis and queue families), e.g. `event`, `crisis/timer-conv`, `queue/events`. */
function recordType(key: string): string {
  const [first, second] = key.split('/');
  return first === 'crisis' || first === 'queue' ? `${first}/${second}` : (first ?? key);
}

/**
 * What the runtime asks of its embedded database, by record type: each write as the types it puts (secondary
 * orderings, `idx/…`, left out), each read outside a write as the type it reads, and the keys staged work puts.
 * It wraps the real database's methods, so the stores run exactly as in `npm start`; staged work (queue
 * acknowledgements, the reply cap's windows) is not a write: it rides in the next one's commit.
 */
function recordDatabaseCalls() {
  const prototype = EmbeddedDatabase.prototype;
  const original = { write: prototype.write, stage: prototype.stage, get: prototype.get, range: prototype.range };
  const writes: string[] = [];
  const reads: string[] = [];
  const staged = new Set<string>();
  prototype.write = function <T>(this: EmbeddedDatabase, fn: (tx: WriteTx) => T): Promise<T> {
    const types = new Set<string>();
    const recorded = (tx: WriteTx): T =>
      fn({
        ...tx,
        get: (key) => tx.get(key),
        range: (options) => tx.range(options),
        remove: (key) => tx.remove(key),
        put: (key, value) => {
          if (!key.startsWith('idx/')) types.add(recordType(key));
          tx.put(key, value);
        },
      });
    const committed = original.write.call(this, recorded) as Promise<T>;
    return committed.finally(() => writes.push([...types].sort().join('+')));
  };
  prototype.stage = function (this: EmbeddedDatabase, fn: (tx: WriteTx) => void): void {
    original.stage.call(this, (tx) =>
      fn({
        ...tx,
        put: (key, value) => {
          staged.add(key);
          tx.put(key, value);
        },
      }),
    );
  };
  prototype.get = function <T>(this: EmbeddedDatabase, key: string): T | undefined {
    reads.push(recordType(key));
    return original.get.call(this, key) as T | undefined;
  };
  prototype.range = function <T>(this: EmbeddedDatabase, options: Parameters<EmbeddedDatabase['range']>[0]) {
    reads.push(recordType(options.prefix));
    return original.range.call(this, options) as Array<{ key: string; value: T }>;
  };
  const tally = (list: string[]) =>
    Object.fromEntries([...new Set(list)].sort().map((type) => [type, list.filter((t) => t === type).length]));
  return {
    reset: () => {
      writes.length = 0;
      reads.length = 0;
      staged.clear();
    },
    /** The keys staged operations put (they ride in the writes' commits). */
    stagedKeys: () => [...staged],
    counted: () => ({ writes: tally(writes), reads: tally(reads) }),
    restore: () => Object.assign(prototype, original),
  };
}

/**
 * The whole local runtime on the embedded store, as test/app/write-count.test.ts pins the AWS stages: one webhook
 * through a plain auto-reply is four writes in all (the event with its raw payload and its publish on the events
 * queue; the decision with its command on the actions queue; the claim; the completion with its audit line) and
 * no read. The reply cap's spend (repliesPerAuthorPerDay) rides in the decision's commit (staged), and the look
 * for response timers waiting in the conversation is answered from memory. The crisis switch, the rule windows
 * and the pending timers are read once per process, before the count.
 */
describe('store calls per webhook through the local runtime (embedded store)', () => {
  let runtime: Runtime;
  const calls = recordDatabaseCalls();
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'foghorn-count-'));
    writeFileSync(join(root, 'reply.yaml'), AUTO_REPLY);
    // The defaults (no per-rule breaker), whatever the working folder's foghorn.config.yaml says.
    writeFileSync(join(root, 'foghorn.config.yaml'), 'limits:\n  repliesPerAuthorPerDay: 5\n');
    runtime = await startRuntime({
      port: 0,
      dataDir: join(root, 'data'),
      rulesDir: root,
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: SECRET }),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      forceSandbox: true,
      // The sweep ran once at start; it must not run again inside the count.
      crisisSweepEveryMs: HOUR_MS,
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    calls.restore();
  });

  const post = (id: string) =>
    postGeneric(
      runtime.url,
      { id, kind: 'message', text: 'hello', author: { id: `author-${id}`, name: 'Ada' }, channel: { id: 'c' } },
      SECRET,
    );
  const drained = () => Object.values(runtime.queues).every((queue) => queue.depth().total === 0);
  /** Idle: every queue empty and the counts unchanged across a short wait. */
  const settled = (): Promise<StoreStats> =>
    waitFor('the runtime to settle', async () => {
      const first = runtime.storage();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = runtime.storage();
      return drained() && first.writes === second.writes && first.reads === second.reads ? second : undefined;
    });

  it('is 4 writes and no read in all, the reply cap and the timer look included', async () => {
    // Prepare: one webhook first, so what is read once per process is read before the count.
    expect((await post('warm-up')).status).toBe(200);
    await waitFor('the warm-up reply', async () => (runtime.storage().writes >= 4 && drained() ? true : undefined));
    const before = await settled();
    calls.reset();

    // Act
    const answers = await Promise.all(Array.from({ length: WEBHOOKS }, (_, index) => post(`count-${index}`)));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    await waitFor('every reply to complete', async () =>
      runtime.storage().writes - before.writes >= 4 * WEBHOOKS && drained() ? true : undefined,
    );
    const after = await settled();
    const { writes, reads } = calls.counted();

    // Assess
    expect(before.engine).toBe('embedded');
    expect(writes).toEqual({
      'event+queue/events+raw': WEBHOOKS,
      'decision+queue/actions': WEBHOOKS,
      action: WEBHOOKS,
      'action+crisis/audit+crisis/audit-at': WEBHOOKS,
    });
    expect(reads).toEqual({});
    // The counters /health shows say the same.
    expect({ writes: after.writes - before.writes, reads: after.reads - before.reads }).toEqual({ writes: 4 * WEBHOOKS, reads: 0 });
    // The reply cap was spent all the same, once per author: staged, it reached disk with those commits.
    expect(calls.stagedKeys().filter((key) => key.startsWith('rule/author:generic:author-count-'))).toHaveLength(WEBHOOKS);
    const { actions } = await getJson<{ actions: Array<{ status: string }> }>(`${runtime.url}/api/actions?limit=1000`);
    expect(actions.filter((action) => action.status === 'succeeded')).toHaveLength(WEBHOOKS + 1);
  });
});
