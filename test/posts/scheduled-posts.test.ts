import { describe, expect, it } from 'vitest';
import { memoryAuditLog, memoryCrisisStore } from '../../functions/crisis/memory/index.js';
import type { PostStore } from '../../functions/posts/ports.js';
import { ScheduledPosts } from '../../functions/posts/scheduled-posts.js';
import { DynamoPostStore } from '../../functions/storage/dynamo/post-store.js';
import { EmbeddedPostStore } from '../../functions/storage/embedded/post-store.js';
import { useEmbeddedDatabase } from '../storage/contracts/use-embedded-database.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

/** Scheduling with an idempotency key, over each post store: the key, not the caller's luck, decides what is stored. */
function idempotentScheduling(store: () => PostStore) {
  const harness = () => {
    const posts = store();
    const scheduled = new ScheduledPosts({
      posts,
      crisis: memoryCrisisStore(),
      audit: memoryAuditLog(),
      clock: { now: () => new Date('2031-03-01T08:00:00.000Z') },
      channels: () => ({ news: { platform: 'telegram', id: '@acme_news' } }),
      dispatch: async () => {},
    });
    return { posts, scheduled };
  };
  const ask = { channel: 'news', at: '2031-03-01T12:30:00+03:30', text: 'ساعات کاری نوروز', lang: 'fa', who: 'maya' };

  it('answers a retry with the same key and request with the post it stored, and stores one', async () => {
    const { posts, scheduled } = harness();
    const first = await scheduled.scheduleOnce({ ...ask, idempotencyKey: 'retry-1' });
    const again = await scheduled.scheduleOnce({ ...ask, who: 'maya', idempotencyKey: 'retry-1' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ post: first.post, created: false });
    expect(await posts.get(first.post.id)).toMatchObject({ idempotency: { key: 'retry-1' }, version: 1 });
    expect((await posts.list(undefined, 100)).filter((post) => post.idempotency?.key === 'retry-1')).toHaveLength(1);
  });

  it('stores one post when two tries with the same key race', async () => {
    const { posts, scheduled } = harness();
    const [a, b] = await Promise.all([
      scheduled.scheduleOnce({ ...ask, idempotencyKey: 'race-1' }),
      scheduled.scheduleOnce({ ...ask, idempotencyKey: 'race-1' }),
    ]);
    expect(a.post.id).toBe(b.post.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect((await posts.list(undefined, 100)).filter((post) => post.idempotency?.key === 'race-1')).toHaveLength(1);
  });

  it('refuses the same key with a different request, 409 naming the key and its post', async () => {
    const { scheduled } = harness();
    const first = await scheduled.scheduleOnce({ ...ask, idempotencyKey: 'reused-1' });
    for (const changed of [{ text: 'another text' }, { at: '2031-03-01T12:31:00+03:30' }, { approval: true }]) {
      await expect(scheduled.scheduleOnce({ ...ask, ...changed, idempotencyKey: 'reused-1' })).rejects.toMatchObject({
        status: 409,
        message: expect.stringContaining(`idempotency key 'reused-1' was already used to schedule post '${first.post.id}'`),
      });
    }
  });

  it('makes a new post for each new key, and a key that is not printable ASCII is a 400 naming it', async () => {
    const { scheduled } = harness();
    const one = await scheduled.scheduleOnce({ ...ask, idempotencyKey: 'new-1' });
    const two = await scheduled.scheduleOnce({ ...ask, idempotencyKey: 'new-2' });
    const none = await scheduled.scheduleOnce(ask);
    expect(new Set([one.post.id, two.post.id, none.post.id]).size).toBe(3);
    for (const bad of ['', 'has space', 'x'.repeat(256), 'کلید'])
      await expect(scheduled.scheduleOnce({ ...ask, idempotencyKey: bad })).rejects.toMatchObject({
        status: 400,
        detail: { field: 'idempotencyKey' },
      });
  });
}

describe('scheduling with an idempotency key: embedded store (lmdb)', () => {
  const db = useEmbeddedDatabase();
  idempotentScheduling(() => new EmbeddedPostStore(db.current));
});

describe('scheduling with an idempotency key: DynamoDB store (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  idempotentScheduling(() => new DynamoPostStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});
