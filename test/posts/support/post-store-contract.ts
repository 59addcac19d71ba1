import { expect, it } from 'vitest';
import type { PostStatus, PostStore, ScheduledPost } from '../../../functions/posts/ports.js';

/**
 * What every PostStore must do, run against the embedded store (lmdb) and the DynamoDB one (dynalite). The harness
 * shares one table between tests: each test uses its own ids and its own year, so one test's posts are never
 * another's due ones.
 */
export function postStoreContract(make: () => PostStore): void {
  const post = (id: string, at: string, status: PostStatus = 'scheduled'): ScheduledPost => ({
    id,
    channel: 'announcements',
    platform: 'telegram',
    channelId: '@acme',
    text: 'سلام — our winter sale starts today',
    lang: 'fa',
    approval: false,
    at,
    status,
    created: { at: '2026-12-01T08:00:00.000Z', by: 'maya' },
    version: 1,
  });

  it('creates a post once and reads it back as stored', async () => {
    const store = make();
    const first = post('p-create', '2030-01-01T09:00:00.000Z');
    expect(await store.create(first)).toBe(true);
    expect(await store.create({ ...first, text: 'a second one' })).toBe(false);
    expect(await store.get('p-create')).toEqual(first);
    expect(await store.get('p-never')).toBeUndefined();
  });

  it('finds the scheduled posts due by a minute from the index, earliest first, and none after it', async () => {
    const store = make();
    await store.create(post('p-due-b', '2031-03-01T09:05:00.000Z'));
    await store.create(post('p-due-a', '2031-03-01T09:00:00.000Z'));
    await store.create(post('p-due-later', '2031-03-01T09:06:00.000Z'));
    await store.create(post('p-due-held', '2031-03-01T08:00:00.000Z', 'suspended'));
    const due = (await store.due('scheduled', new Date('2031-03-01T09:05:00.000Z'), 100)).filter((one) => one.id.startsWith('p-due'));
    expect(due.map((one) => one.id)).toEqual(['p-due-a', 'p-due-b']);
    // The minute itself counts, whatever its seconds.
    const inMinute = await store.due('scheduled', new Date('2031-03-01T09:06:59.999Z'), 100);
    expect(inMinute.map((one) => one.id)).toContain('p-due-later');
    expect((await store.due('suspended', new Date('2031-03-01T09:05:00.000Z'), 100)).map((one) => one.id)).toContain('p-due-held');
  });

  it('updates only from the version it read, and moves the post between the status indexes', async () => {
    const store = make();
    const stored = post('p-update', '2032-05-01T12:00:00.000Z');
    await store.create(stored);
    const suspended = { ...stored, status: 'suspended' as const, suspended: { at: '2032-05-01T11:00:00.000Z', by: 'foghorn', crisis: {} } };
    const [one, two] = await Promise.all([store.update(suspended, 1), store.update({ ...stored, status: 'cancelled' }, 1)]);
    expect([one, two].filter(Boolean)).toHaveLength(1);
    const after = await store.get('p-update');
    expect(after?.version).toBe(2);
    expect(await store.update({ ...stored, status: 'published' }, 1)).toBe(false);
    const through = new Date('2032-05-01T12:00:00.000Z');
    const inIndex = async (status: PostStatus) => (await store.due(status, through, 100)).some((found) => found.id === 'p-update');
    expect(await inIndex('scheduled')).toBe(false);
    expect(await inIndex(after!.status)).toBe(true);
    expect((await store.list(after!.status, 1000)).some((found) => found.id === 'p-update')).toBe(true);
    expect((await store.list('scheduled', 1000)).some((found) => found.id === 'p-update')).toBe(false);
  });

  it('keeps the minute of a rescheduled post in the index: it is due at its new minute only', async () => {
    const store = make();
    const stored = post('p-move', '2033-07-01T10:00:00.000Z');
    await store.create(stored);
    expect(await store.update({ ...stored, at: '2033-07-01T18:30:00.000Z' }, 1)).toBe(true);
    const ids = async (through: string) => (await store.due('scheduled', new Date(through), 100)).map((one) => one.id);
    expect(await ids('2033-07-01T10:00:00.000Z')).not.toContain('p-move');
    expect(await ids('2033-07-01T18:30:00.000Z')).toContain('p-move');
  });

  it('lists every status together, earliest minute first, up to the limit', async () => {
    const store = make();
    await store.create(post('p-list-2', '2020-02-01T10:00:00.000Z', 'published'));
    await store.create(post('p-list-1', '2020-01-01T10:00:00.000Z', 'cancelled'));
    const all = await store.list(undefined, 2);
    expect(all.map((one) => one.id)).toEqual(['p-list-1', 'p-list-2']);
  });
}
