import { POST_STATUSES, type PostStatus, type PostStore, type ScheduledPost } from '../../posts/ports.js';
import type { EmbeddedDatabase } from './database.js';

function postKey(id: string): string {
  return `posts/post/${encodeURIComponent(id)}`;
}

function statusPrefix(status: PostStatus): string {
  return `posts/due/${status}/`;
}

/** `<at>#<id>`: ISO minutes sort in time order, the id breaks ties. */
function indexKey(post: Pick<ScheduledPost, 'status' | 'at' | 'id'>): string {
  return `${statusPrefix(post.status)}${post.at}#${encodeURIComponent(post.id)}`;
}

/**
 * Scheduled posts (`posts/post/<id>`) and their due-time index (`posts/due/<status>/<at>#<id>`, pointing at the
 * id): the sweep reads the scheduled posts up to this minute by a key range. An update is one transaction that
 * finds the post still at the version it read and moves its index entry with its status.
 */
export class EmbeddedPostStore implements PostStore {
  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedPostStore: an EmbeddedDatabase is required');
  }

  async create(post: ScheduledPost): Promise<boolean> {
    const key = postKey(post.id);
    if (this.db.get(key)) return false;
    return this.db.write((tx) => {
      if (tx.get(key)) return false;
      tx.put(key, post);
      tx.put(indexKey(post), post.id);
      return true;
    });
  }

  async get(id: string): Promise<ScheduledPost | undefined> {
    return this.db.get<ScheduledPost>(postKey(id));
  }

  async list(status: PostStatus | undefined, limit: number): Promise<ScheduledPost[]> {
    const lists = (status ? [status] : POST_STATUSES).map((one) => this.read(statusPrefix(one), limit));
    return lists
      .flat()
      .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
      .slice(0, limit);
  }

  async due(status: PostStatus, through: Date, limit: number): Promise<ScheduledPost[]> {
    // Every key of a minute at or before `through` sorts before `<through>#\uffff`.
    return this.read(statusPrefix(status), limit, `${statusPrefix(status)}${through.toISOString()}#\uffff`);
  }

  async update(next: ScheduledPost, expectedVersion: number): Promise<boolean> {
    const key = postKey(next.id);
    if (this.db.get<ScheduledPost>(key)?.version !== expectedVersion) return false;
    return this.db.write((tx) => {
      const stored = tx.get<ScheduledPost>(key);
      if (stored?.version !== expectedVersion) return false;
      tx.remove(indexKey(stored));
      const written: ScheduledPost = { ...next, version: expectedVersion + 1 };
      tx.put(key, written);
      tx.put(indexKey(written), written.id);
      return true;
    });
  }

  private read(prefix: string, limit: number, before?: string): ScheduledPost[] {
    return this.db
      .range<string>({ prefix, limit, ...(before ? { before } : {}) })
      .map(({ value: id }) => this.db.get<ScheduledPost>(postKey(id)))
      .filter((post): post is ScheduledPost => post !== undefined);
  }
}
