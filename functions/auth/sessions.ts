import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/ports.js';
import type { Role } from './roles.js';

/**
 * Console sessions, in memory only. A session id is a bearer secret: kept out of the data folder, none can
 * be read off the disk, and a restart signs everyone out, which costs one sign-in. Ids are 256 random bits;
 * the map is keyed by their SHA-256, so a lookup's timing says nothing about the ids it holds.
 * A session ends at its absolute lifetime, or earlier after `idleMs` without a request.
 */

export interface Session {
  /** The cookie value: given once, at creation; never stored. */
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** `user` for a name and password from console.users; `link` for the one-time sign-in link. */
  readonly via: 'user' | 'link';
  readonly createdAt: Date;
}

export interface SessionStoreOptions {
  clock?: Clock;
  /** Default 12 hours: a working day, then sign in again. */
  lifetimeMs?: number;
  /** Default 2 hours without a request. */
  idleMs?: number;
  /** Default 10,000: past it, the oldest session is ended to make room. */
  maxSessions?: number;
}

interface Entry {
  session: Omit<Session, 'id'>;
  lastSeenMs: number;
}

const HOUR_MS = 3_600_000;

export class SessionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  readonly lifetimeMs: number;
  readonly idleMs: number;
  private readonly maxSessions: number;

  constructor(options: SessionStoreOptions = {}) {
    this.clock = options.clock ?? { now: () => new Date() };
    this.lifetimeMs = options.lifetimeMs ?? 12 * HOUR_MS;
    this.idleMs = options.idleMs ?? 2 * HOUR_MS;
    this.maxSessions = options.maxSessions ?? 10_000;
    if (this.idleMs > this.lifetimeMs) throw new Error('SessionStore: idleMs must not exceed lifetimeMs');
  }

  create(user: { name: string; role: Role; via: Session['via'] }): Session {
    const now = this.clock.now();
    this.prune(now.getTime());
    while (this.entries.size >= this.maxSessions) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    const session = { name: user.name, role: user.role, via: user.via, createdAt: now };
    this.entries.set(keyOf(id), { session, lastSeenMs: now.getTime() });
    return { id, ...session };
  }

  /** The live session for a cookie value, its idle time reset; undefined for an unknown, ended or expired one. */
  resolve(id: string): Session | undefined {
    const key = keyOf(id);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const nowMs = this.clock.now().getTime();
    if (this.expired(entry, nowMs)) {
      this.entries.delete(key);
      return undefined;
    }
    entry.lastSeenMs = nowMs;
    return { id, ...entry.session };
  }

  end(id: string): boolean {
    return this.entries.delete(keyOf(id));
  }

  get size(): number {
    return this.entries.size;
  }

  private expired(entry: Entry, nowMs: number): boolean {
    return nowMs - entry.session.createdAt.getTime() >= this.lifetimeMs || nowMs - entry.lastSeenMs >= this.idleMs;
  }

  private prune(nowMs: number): void {
    for (const [key, entry] of this.entries) if (this.expired(entry, nowMs)) this.entries.delete(key);
  }
}

function keyOf(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}
