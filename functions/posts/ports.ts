/**
 * What scheduled posts need from storage: one record per post, and a due-time index (posts by status, in the
 * order of their minute) so the sweep reads the minute's due posts without scanning the others. Every change is a
 * conditional write on the post's `version`, so two sweeps, or a sweep and a person, never both win.
 */

/**
 * `scheduled` waits for its minute; `suspended` was stopped by crisis mode and waits for a person; `publishing` was
 * handed to the act path (its command may be on the queue); `published` went through the act path; `cancelled` never will.
 */
export type PostStatus = 'scheduled' | 'suspended' | 'publishing' | 'published' | 'cancelled';

export const POST_STATUSES: readonly PostStatus[] = ['scheduled', 'suspended', 'publishing', 'published', 'cancelled'];

/** Who changed a post, when and why (a person, or `foghorn` naming the crisis). */
export interface PostChange {
  at: string;
  by: string;
  why?: string;
}

export interface ScheduledPost {
  id: string;
  /** The channel's name in the team config (`channels:`). */
  channel: string;
  /** Resolved from the channel when scheduled: where it goes. */
  platform: string;
  /** The platform's channel id; absent, the platform's default channel setting (FOGHORN_TELEGRAM_CHANNEL, …). */
  channelId?: string;
  text: string;
  lang?: string;
  /** Held for a person's approval at its minute (the approval queue) instead of going straight out. */
  approval: boolean;
  /** Its minute (ISO, seconds zero). */
  at: string;
  status: PostStatus;
  created: PostChange;
  suspended?: PostChange & { crisis: { since?: string; by?: string; why?: string } };
  released?: PostChange;
  cancelled?: PostChange;
  /** When the sweep handed it to the act path, and the command's id. */
  publishedAt?: string;
  commandId?: string;
  /** The client's idempotency key, and a digest of the request it came with (a retry must ask the same). */
  idempotency?: { key: string; request: string };
  /** Counts changes: every update names the version it read. */
  version: number;
}

export interface PostStore {
  /** Stores a new post unless one with its id exists; true when created. */
  create(post: ScheduledPost): Promise<boolean>;
  get(id: string): Promise<ScheduledPost | undefined>;
  /** Posts of one status (all when absent), earliest minute first, up to `limit`. */
  list(status: PostStatus | undefined, limit: number): Promise<ScheduledPost[]>;
  /** Posts in `status` whose minute is at or before `through`, earliest first (the due-time index). */
  due(status: PostStatus, through: Date, limit: number): Promise<ScheduledPost[]>;
  /** Replaces the post if it is still at `expectedVersion` (the stored one gets `expectedVersion + 1`); false when it changed first. */
  update(next: ScheduledPost, expectedVersion: number): Promise<boolean>;
}
