import { createHash, randomBytes } from 'node:crypto';
import { type ActionCommand, actionCommandId } from '../core/action-command.js';
import type { CanonicalEvent } from '../core/event.js';
import type { Clock } from '../core/ports.js';
import type { AuditLog, CrisisState, CrisisStore } from '../crisis/ports.js';
import type { FoghornConfig } from '../rules/config.js';
import {
  PostConflictError,
  PostIdempotencyKeyReusedError,
  PostInputError,
  PostNotFoundError,
  PostStateError,
  PostsHeldByCrisisError,
} from './errors.js';
import type { PostStatus, PostStore, ScheduledPost } from './ports.js';
import { type PostingPlatforms, resolvePostChannel } from './post-channel.js';

/** The rule id a scheduled post's command carries: its audit lines and approvals name it. */
export const SCHEDULED_POST_RULE = 'scheduled-post';

/** Posts read per status and sweep at most (a minute with more publishes the rest on the next sweep). */
const SWEEP_LIMIT = 500;
const MINUTE_MS = 60_000;

/** A post as people see it: `overdue` when its minute passed and it has not gone out (suspended, or not swept yet). */
export type PostView = ScheduledPost & { overdue: boolean };

export interface ScheduleInput {
  channel: string;
  at: string;
  text: string;
  lang?: string;
  approval?: boolean;
  who: string;
  /** The client's key for this schedule: sending it again (a retry) answers the post it created instead of a second one. */
  idempotencyKey?: string;
}

/** A scheduled post, and whether this call created it (false: an earlier call with the same idempotency key did). */
export interface Scheduled {
  post: PostView;
  created: boolean;
}

export interface PostSweepReport {
  postsPublished: number;
  postsSuspended: number;
}

export interface ScheduledPostsOptions {
  posts: PostStore;
  crisis: CrisisStore;
  audit: AuditLog;
  clock: Clock;
  /** The team config's `channels:`, read again after a reload. */
  channels: () => FoghornConfig['channels'];
  /** What each platform can do: a channel on one that cannot post is refused when scheduled. */
  platforms?: PostingPlatforms;
  /** Puts commands on the actions queue (the act path: claims, the outgoing guard, crisis mode, audit). */
  dispatch(commands: readonly ActionCommand[]): Promise<void>;
  newId?: () => string;
}

/** The command that publishes a post: its id derives from the post's, so however often it is dispatched, act runs it once. */
export function postCommandId(postId: string): string {
  return actionCommandId(postId, SCHEDULED_POST_RULE, 0);
}

function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function crisisText(crisis: CrisisState): string {
  return `crisis mode is on (since ${crisis.since ?? '?'} by ${crisis.by ?? '?'}: ${crisis.why ?? ''})`;
}

/**
 * Scheduled posts: a person schedules a text for a channel and a minute; the once-a-minute sweep publishes it then,
 * as a `post` command through the act path (exactly once, the outgoing guard, crisis mode, the approval queue when
 * asked). Crisis mode suspends every scheduled post, audited with the crisis's who and why; a suspended post never
 * goes out by itself: after the crisis a person releases it (now, or at a new minute) or cancels it.
 */
export class ScheduledPosts {
  private readonly newId: () => string;

  constructor(private readonly options: ScheduledPostsOptions) {
    this.newId = options.newId ?? (() => `post_${randomBytes(9).toString('base64url')}`);
  }

  async schedule(input: ScheduleInput): Promise<PostView> {
    return (await this.scheduleOnce(input)).post;
  }

  /**
   * Schedules a post; with an idempotency key, at most once per key. The post's id derives from the key, so the
   * store's create-if-absent decides between two concurrent retries, locally and on AWS alike. The same key with the
   * same request answers the stored post; with a different one, 409 naming the key.
   */
  async scheduleOnce(input: ScheduleInput): Promise<Scheduled> {
    const now = this.options.clock.now();
    const idempotency = input.idempotencyKey === undefined ? undefined : idempotencyOf(input);
    if (idempotency) {
      const earlier = await this.options.posts.get(idempotency.id);
      if (earlier) return { post: this.view(sameRequest(earlier, idempotency), now), created: false };
    }
    const who = person(input.who);
    const channel = requiredText(input.channel, 'channel', 'a channel name declared under channels: in foghorn.config.yaml');
    requiredText(input.text, 'text', 'the text to post');
    // Kept as written: its spacing and line breaks are the author's.
    const text = input.text;
    if (text.length > 100_000) throw new PostInputError(`'text' is ${text.length} characters; at most 100000`, { field: 'text' });
    const lang = input.lang === undefined ? undefined : input.lang.trim();
    if (lang !== undefined && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang))
      throw new PostInputError(`'lang' must be a language tag such as fa or pt-BR, got '${input.lang}'`, { field: 'lang' });
    if (input.approval !== undefined && typeof input.approval !== 'boolean')
      throw new PostInputError(`'approval' must be true or false`, { field: 'approval' });
    const at = futureMinute(input.at, now);
    const target = resolvePostChannel(this.options.channels(), channel, this.options.platforms);
    const crisis = await this.options.crisis.get();
    const created = { at: now.toISOString(), by: who };
    const post: ScheduledPost = {
      id: idempotency?.id ?? this.newId(),
      channel,
      platform: target.platform,
      ...(target.id ? { channelId: target.id } : {}),
      text,
      ...(lang ? { lang } : {}),
      approval: input.approval ?? false,
      at,
      status: crisis.on ? 'suspended' : 'scheduled',
      created,
      ...(crisis.on ? { suspended: this.suspension(crisis, now) } : {}),
      ...(idempotency ? { idempotency: { key: idempotency.key, request: idempotency.request } } : {}),
      version: 1,
    };
    if (!(await this.options.posts.create(post))) {
      const first = idempotency ? await this.options.posts.get(post.id) : undefined;
      if (first && idempotency) return { post: this.view(sameRequest(first, idempotency), now), created: false };
      throw new PostConflictError(post.id);
    }
    await this.record(post, 'scheduled', now, who, undefined, { channel, platform: post.platform, at, approval: post.approval });
    if (crisis.on) await this.recordSuspension(post, crisis, now);
    return { post: this.view(post, now), created: true };
  }

  async get(id: string): Promise<PostView> {
    return this.view(await this.load(id), this.options.clock.now());
  }

  async list(status: PostStatus | undefined, limit: number): Promise<PostView[]> {
    const now = this.options.clock.now();
    return (await this.options.posts.list(status, limit)).map((post) => this.view(post, now));
  }

  async cancel(id: string, who: string, why?: string): Promise<{ post: PostView; changed: boolean }> {
    const now = this.options.clock.now();
    const by = person(who);
    const post = await this.load(id);
    if (post.status === 'cancelled') return { post: this.view(post, now), changed: false };
    if (post.status !== 'scheduled' && post.status !== 'suspended')
      throw new PostStateError(post, 'cancelled', 'it was handed to the act path (see its command in /api/actions)');
    const next: ScheduledPost = { ...post, status: 'cancelled', cancelled: { at: now.toISOString(), by, ...(why ? { why } : {}) } };
    if (!(await this.options.posts.update(next, post.version))) throw new PostConflictError(id);
    await this.record(post, 'cancelled', now, by, why, { was: post.status });
    return { post: this.view({ ...next, version: post.version + 1 }, now), changed: true };
  }

  /**
   * A person's decision about a suspended post: it goes out at `at` (a new minute), or at its own minute, which,
   * passed, means on the next sweep. Refused while crisis mode is on. A post already released, published or on its
   * way is answered as it is (`changed: false`), so releasing twice never publishes twice.
   */
  async release(id: string, who: string, at?: string): Promise<{ post: PostView; changed: boolean }> {
    const now = this.options.clock.now();
    const by = person(who);
    const newAt = at === undefined ? undefined : futureMinute(at, now);
    const post = await this.load(id);
    if (post.status === 'cancelled') throw new PostStateError(post, 'released', 'it was cancelled');
    if (post.status !== 'suspended') return { post: this.view(post, now), changed: false };
    const crisis = await this.options.crisis.get();
    if (crisis.on) throw new PostStateError(post, 'released', `${crisisText(crisis)}; release it once crisis mode is off`);
    const next: ScheduledPost = { ...post, status: 'scheduled', at: newAt ?? post.at, released: { at: now.toISOString(), by } };
    if (!(await this.options.posts.update(next, post.version))) throw new PostConflictError(id);
    const overdue = Date.parse(post.at) < minuteOf(now.getTime());
    await this.record(post, `released:${post.version}`, now, by, undefined, {
      at: next.at,
      ...(newAt ? { rescheduledFrom: post.at } : {}),
      overdue,
    });
    return { post: this.view({ ...next, version: post.version + 1 }, now), changed: true };
  }

  /** Releases every suspended post (a person's decision after a crisis); refused while crisis mode is on. */
  async releaseAll(who: string, at?: string): Promise<PostView[]> {
    person(who);
    if (at !== undefined) futureMinute(at, this.options.clock.now());
    const crisis = await this.options.crisis.get();
    if (crisis.on) throw new PostsHeldByCrisisError(crisisText(crisis));
    const released: PostView[] = [];
    for (const post of await this.options.posts.list('suspended', SWEEP_LIMIT)) {
      const result = await this.release(post.id, who, at);
      if (result.changed) released.push(result.post);
    }
    return released;
  }

  /**
   * The sweep's part (every minute): in crisis mode, suspend every scheduled post; otherwise hand each post due by
   * this minute to the act path. A post is marked `publishing` before its command is dispatched and `published`
   * after, and a `publishing` post is dispatched again by the next sweep (a crash in between): the command id is
   * the post's, so act runs it once.
   */
  async sweep(): Promise<PostSweepReport> {
    const now = this.options.clock.now();
    const crisis = await this.options.crisis.get();
    if (crisis.on) return { postsPublished: 0, postsSuspended: await this.suspendAll(crisis, now) };
    const handed: ScheduledPost[] = await this.options.posts.due('publishing', now, SWEEP_LIMIT);
    for (const post of await this.options.posts.due('scheduled', now, SWEEP_LIMIT)) {
      const next: ScheduledPost = { ...post, status: 'publishing', publishedAt: now.toISOString(), commandId: postCommandId(post.id) };
      if (await this.options.posts.update(next, post.version)) handed.push({ ...next, version: post.version + 1 });
    }
    if (handed.length === 0) return { postsPublished: 0, postsSuspended: 0 };
    await this.options.dispatch(handed.map((post) => publishCommand(post, now)));
    for (const post of handed) {
      if (!(await this.options.posts.update({ ...post, status: 'published' }, post.version))) continue;
      await this.record(post, 'published', now, 'foghorn', post.approval ? 'its minute came; held for approval' : 'its minute came', {
        commandId: post.commandId,
        channel: post.channel,
        platform: post.platform,
        at: post.at,
      });
    }
    return { postsPublished: handed.length, postsSuspended: 0 };
  }

  private async suspendAll(crisis: CrisisState, now: Date): Promise<number> {
    let suspended = 0;
    for (const post of await this.options.posts.list('scheduled', SWEEP_LIMIT)) {
      const next: ScheduledPost = { ...post, status: 'suspended', suspended: this.suspension(crisis, now) };
      if (!(await this.options.posts.update(next, post.version))) continue;
      await this.recordSuspension(post, crisis, now);
      suspended++;
    }
    return suspended;
  }

  private suspension(crisis: CrisisState, now: Date): NonNullable<ScheduledPost['suspended']> {
    return {
      at: now.toISOString(),
      by: 'foghorn',
      why: crisisText(crisis),
      crisis: {
        ...(crisis.since ? { since: crisis.since } : {}),
        ...(crisis.by ? { by: crisis.by } : {}),
        ...(crisis.why ? { why: crisis.why } : {}),
      },
    };
  }

  private recordSuspension(post: ScheduledPost, crisis: CrisisState, now: Date): Promise<void> {
    return this.record(post, `suspended:${post.version}`, now, 'foghorn', crisisText(crisis), {
      at: post.at,
      crisis: { since: crisis.since, by: crisis.by, why: crisis.why, version: crisis.version },
    });
  }

  private record(post: ScheduledPost, step: string, now: Date, who: string, why: string | undefined, detail: Record<string, unknown>) {
    return this.options.audit.record({
      id: `post:${post.id}:${step}`,
      at: now.toISOString(),
      kind: 'post',
      what: `post.${step.split(':')[0]}`,
      who,
      ...(why ? { why } : {}),
      eventId: post.id,
      ruleId: SCHEDULED_POST_RULE,
      commandId: postCommandId(post.id),
      detail: { post: post.id, ...detail },
    });
  }

  private async load(id: string): Promise<ScheduledPost> {
    if (typeof id !== 'string' || id.trim() === '') throw new PostInputError('a post id is required', { field: 'id' });
    const post = await this.options.posts.get(id);
    if (!post) throw new PostNotFoundError(id);
    return post;
  }

  private view(post: ScheduledPost, now: Date): PostView {
    const waiting = post.status === 'scheduled' || post.status === 'suspended';
    return { ...post, overdue: waiting && Date.parse(post.at) < minuteOf(now.getTime()) };
  }
}

/**
 * The command that publishes a post: a `post` for its platform and channel, or, with `approval`, a `hold` parking
 * that post in the approval queue (approving sends it once, through the same act path).
 */
export function publishCommand(post: ScheduledPost, now: Date): ActionCommand {
  const postParams = {
    platform: post.platform,
    ...(post.channelId ? { channel: post.channelId } : {}),
    text: post.text,
    ...(post.lang ? { lang: post.lang } : {}),
    scheduledPost: post.id,
  };
  return {
    id: postCommandId(post.id),
    eventId: post.id,
    ruleId: SCHEDULED_POST_RULE,
    index: 0,
    type: post.approval ? 'hold' : 'post',
    params: post.approval
      ? { reason: `scheduled post ${post.id} for ${post.channel} asks for approval`, action: { type: 'post', ...postParams } }
      : postParams,
    event: postEvent(post),
    createdAt: now.toISOString(),
  };
}

/** What the post's command answers: the post itself, as Foghorn's own item (no rule ever replies to it). */
function postEvent(post: ScheduledPost): CanonicalEvent {
  return {
    id: post.id,
    platform: post.platform,
    kind: 'post',
    text: post.text,
    ...(post.lang ? { lang: post.lang } : {}),
    author: { id: post.created.by, isSelf: true },
    channel: { id: post.channelId ?? post.channel, name: post.channel },
    thread: {},
    createdAt: post.created.at,
    receivedAt: post.created.at,
    sentByFoghorn: true,
  };
}

interface Idempotency {
  key: string;
  /** A digest of what was asked (channel, minute as written, text, lang, approval): a retry asks the same. */
  request: string;
  id: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function idempotencyOf(input: ScheduleInput): Idempotency {
  const key = input.idempotencyKey;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))
    throw new PostInputError(
      `the idempotency key must be 1 to 255 printable ASCII characters without spaces (a UUID, say), got ${JSON.stringify(key)}`,
      { field: 'idempotencyKey' },
    );
  const asked = [
    typeof input.channel === 'string' ? input.channel.trim() : input.channel,
    typeof input.at === 'string' ? input.at.trim() : input.at,
    input.text,
    input.lang ?? null,
    input.approval ?? false,
  ];
  return {
    key,
    request: createHash('sha256').update(JSON.stringify(asked)).digest('base64url'),
    id: `post_k${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`,
  };
}

/** The post an earlier call with this key stored, when it asked the same; otherwise the key is being reused. */
function sameRequest(post: ScheduledPost, idempotency: Idempotency): ScheduledPost {
  if (post.idempotency?.key !== idempotency.key || post.idempotency.request !== idempotency.request)
    throw new PostIdempotencyKeyReusedError(idempotency.key, post.id);
  return post;
}

function requiredText(value: unknown, field: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new PostInputError(`'${field}' is required: ${what}`, { field });
  return value.trim();
}

function person(who: unknown): string {
  return requiredText(who, 'who', 'the person deciding, for the audit log');
}

/** `at` as its minute (seconds dropped); refused when it is not an ISO time with a zone, or its minute has passed. */
function futureMinute(at: unknown, now: Date): string {
  if (typeof at !== 'string' || !ISO_TIME.test(at.trim()) || Number.isNaN(Date.parse(at)))
    throw new PostInputError(`'at' must be an ISO time with its zone, such as 2026-12-24T09:00:00+03:30, got ${JSON.stringify(at)}`, {
      field: 'at',
    });
  const minute = minuteOf(Date.parse(at));
  if (minute < minuteOf(now.getTime()))
    throw new PostInputError(`'at' (${at}) has passed: it is ${now.toISOString()}`, { field: 'at', now: now.toISOString() });
  return new Date(minute).toISOString();
}
