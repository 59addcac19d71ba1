import { describe, expect, it } from 'vitest';
import { createSweepHandler } from '../../functions/app/sweep-handler.js';
import type { ActionCommand } from '../../functions/core/action-command.js';
import { switchCrisisMode } from '../../functions/crisis/crisis-switch.js';
import { guardedExecutor } from '../../functions/crisis/guarded-executor.js';
import { memoryApprovalStore, memoryAuditLog, memoryCrisisStore, memoryTimerStore } from '../../functions/crisis/memory/index.js';
import { outgoingGuard } from '../../functions/crisis/outgoing-guard.js';
import { postCommandId, ScheduledPosts } from '../../functions/posts/scheduled-posts.js';
import { DynamoPostStore } from '../../functions/storage/dynamo/post-store.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

/**
 * The sweep stage as the Lambda runs it (createSweepHandler, every minute on AWS) over the DynamoDB post store on
 * dynalite, with a clock the test moves: the crash between handing a post over and marking it, and the commands.
 */
describe('the sweep publishing scheduled posts (DynamoDB store)', () => {
  const dynamo = useEmbeddedDynamo();
  const crisisSweep = { sweep: async () => ({ timersFired: 0, outOfTime: false, episodesEnded: 0, approvalsExpired: 0 }) };

  function harness(start: string) {
    let now = new Date(start);
    const dispatched: ActionCommand[] = [];
    let failNextDispatch = false;
    const crisis = memoryCrisisStore();
    const audit = memoryAuditLog();
    let seq = 0;
    const posts = new ScheduledPosts({
      posts: new DynamoPostStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }),
      crisis,
      audit,
      clock: { now: () => now },
      channels: () => ({ news: { platform: 'telegram', id: '@acme_news' }, vk: { platform: 'vk' } }),
      dispatch: async (commands) => {
        if (failNextDispatch) {
          failNextDispatch = false;
          throw new Error('the actions queue is unreachable');
        }
        dispatched.push(...commands);
      },
      newId: () => `post_${start.slice(0, 4)}_${seq++}`,
    });
    return {
      posts,
      crisis,
      audit,
      dispatched,
      sweep: createSweepHandler(crisisSweep, undefined, posts),
      at: (iso: string) => {
        now = new Date(iso);
      },
      failNextDispatch: () => {
        failNextDispatch = true;
      },
    };
  }

  it('dispatches a post again after a crash between handing it over and marking it, under the same command id', async () => {
    const h = harness('2040-01-01T08:00:00.000Z');
    const post = await h.posts.schedule({
      channel: 'news',
      at: '2040-01-01T09:00:00Z',
      text: 'Новогодние часы работы',
      lang: 'ru',
      who: 'olga',
    });
    h.at('2040-01-01T09:00:10.000Z');
    h.failNextDispatch();
    await expect(h.sweep()).rejects.toThrow('the actions queue is unreachable');
    expect((await h.posts.get(post.id)).status).toBe('publishing');
    expect(h.dispatched).toEqual([]);

    h.at('2040-01-01T09:01:00.000Z');
    expect(await h.sweep()).toMatchObject({ postsPublished: 1, postsSuspended: 0, timersFired: 0 });
    expect((await h.posts.get(post.id)).status).toBe('published');
    expect(h.dispatched).toEqual([
      expect.objectContaining({
        id: postCommandId(post.id),
        type: 'post',
        ruleId: 'scheduled-post',
        eventId: post.id,
        params: { platform: 'telegram', channel: '@acme_news', text: 'Новогодние часы работы', lang: 'ru', scheduledPost: post.id },
      }),
    ]);
    h.at('2040-01-01T09:02:00.000Z');
    expect((await h.sweep()).postsPublished).toBe(0);
    expect(h.dispatched).toHaveLength(1);
  });

  it("parks a post that asks for approval as a hold of that post, and goes to the platform's default channel when the channel names no id", async () => {
    const h = harness('2041-01-01T08:00:00.000Z');
    const post = await h.posts.schedule({
      channel: 'vk',
      at: '2041-01-01T08:30:00+00:00',
      text: 'Встречайте',
      approval: true,
      who: 'olga',
    });
    h.at('2041-01-01T08:30:00.000Z');
    await h.sweep();
    expect(h.dispatched).toEqual([
      expect.objectContaining({
        id: postCommandId(post.id),
        type: 'hold',
        params: {
          reason: `scheduled post ${post.id} for vk asks for approval`,
          action: { type: 'post', platform: 'vk', text: 'Встречайте', scheduledPost: post.id },
        },
      }),
    ]);
  });

  it('suspends a scheduled post the minute crisis mode is on, even before its minute; the audit names the crisis', async () => {
    const h = harness('2042-01-01T08:00:00.000Z');
    const post = await h.posts.schedule({ channel: 'news', at: '2042-01-01T12:00:00Z', text: 'Sale!', who: 'olga' });
    await switchCrisisMode(h.crisis, h.audit, { on: true, who: 'amir', why: 'earthquake in the region' }, new Date('2042-01-01T08:10:00Z'));
    h.at('2042-01-01T08:11:00.000Z');
    expect((await h.sweep()).postsSuspended).toBe(1);
    const suspended = await h.posts.get(post.id);
    expect(suspended).toMatchObject({
      status: 'suspended',
      overdue: false,
      suspended: { by: 'foghorn', crisis: { by: 'amir', why: 'earthquake in the region' } },
    });
    const entry = (await h.audit.list(100)).find((line) => line.what === 'post.suspended');
    expect(entry).toMatchObject({
      kind: 'post',
      who: 'foghorn',
      detail: { crisis: expect.objectContaining({ by: 'amir', why: 'earthquake in the region' }) },
    });
    expect(entry?.why).toContain('earthquake in the region');
    await switchCrisisMode(h.crisis, h.audit, { on: false, who: 'amir', why: 'over' }, new Date('2042-01-01T13:00:00Z'));
    h.at('2042-01-01T13:01:00.000Z');
    expect((await h.sweep()).postsPublished).toBe(0);
    expect(await h.posts.get(post.id)).toMatchObject({ status: 'suspended', overdue: true });
    expect(h.dispatched).toEqual([]);
  });

  it('a post whose minute comes while crisis mode is on is suspended, not published; after the crisis it waits for a release, then goes out once', async () => {
    const h = harness('2043-01-01T08:00:00.000Z');
    const post = await h.posts.schedule({ channel: 'news', at: '2043-01-01T09:00:00Z', text: 'Sale!', who: 'olga' });
    // Crisis mode comes on after the last sweep before the post's minute: the first sweep to see it is at that minute.
    await switchCrisisMode(h.crisis, h.audit, { on: true, who: 'amir', why: 'outage' }, new Date('2043-01-01T08:59:30Z'));
    h.at('2043-01-01T09:00:00.000Z');
    expect(await h.sweep()).toMatchObject({ postsPublished: 0, postsSuspended: 1 });
    expect(await h.posts.get(post.id)).toMatchObject({ status: 'suspended', suspended: { crisis: { by: 'amir', why: 'outage' } } });

    await switchCrisisMode(h.crisis, h.audit, { on: false, who: 'amir', why: 'over' }, new Date('2043-01-01T09:30:00Z'));
    h.at('2043-01-01T09:31:00.000Z');
    expect((await h.sweep()).postsPublished).toBe(0);
    expect(h.dispatched).toEqual([]);

    expect((await h.posts.release(post.id, 'li')).changed).toBe(true);
    h.at('2043-01-01T09:32:00.000Z');
    expect((await h.sweep()).postsPublished).toBe(1);
    h.at('2043-01-01T09:33:00.000Z');
    expect((await h.sweep()).postsPublished).toBe(0);
    expect(h.dispatched.map((command) => command.id)).toEqual([postCommandId(post.id)]);
    expect(await h.posts.get(post.id)).toMatchObject({ status: 'published' });
  });

  it('a post handed over just before crisis mode came on is held for approval by act, never sent', async () => {
    const h = harness('2044-01-01T08:00:00.000Z');
    const post = await h.posts.schedule({ channel: 'news', at: '2044-01-01T09:00:00Z', text: 'Sale!', who: 'olga' });
    h.at('2044-01-01T09:00:00.000Z');
    expect((await h.sweep()).postsPublished).toBe(1);
    await switchCrisisMode(h.crisis, h.audit, { on: true, who: 'amir', why: 'outage' }, new Date('2044-01-01T09:00:01Z'));

    const sent: ActionCommand[] = [];
    const approvals = memoryApprovalStore();
    const act = guardedExecutor({
      inner: async (command) => {
        sent.push(command);
        return { status: 'succeeded', mode: 'sandbox' };
      },
      guard: outgoingGuard({ sensitiveTerms: [], doNotEngage: [] }),
      crisis: h.crisis,
      approvals,
      audit: h.audit,
      timers: memoryTimerStore(),
      expireAfterMs: 3_600_000,
      clock: { now: () => new Date('2044-01-01T09:00:02Z') },
    });
    const [command] = h.dispatched;
    expect(command).toMatchObject({ id: postCommandId(post.id), type: 'post', params: { scheduledPost: post.id } });
    expect(await act(command!)).toEqual({ status: 'held' });
    expect(sent).toEqual([]);
    expect(await approvals.get(command!.id)).toMatchObject({ status: 'pending', heldBy: 'crisis' });
  });
});
