import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/ports.js';

/**
 * The one-time admin sign-in token printed at start when no console user is configured, as Jupyter does.
 * It works once, and only until it expires: a link left in a terminal's scrollback goes stale.
 */
export class OneTimeToken {
  private digest: Buffer | undefined;
  private readonly expiresAtMs: number;
  private readonly clock: Clock;
  /** The token itself: print it once, in the link. */
  readonly value: string;

  constructor(options: { clock?: Clock; ttlMs?: number } = {}) {
    this.clock = options.clock ?? { now: () => new Date() };
    this.value = randomBytes(32).toString('base64url');
    this.digest = sha256(this.value);
    this.expiresAtMs = this.clock.now().getTime() + (options.ttlMs ?? DEFAULT_SIGN_IN_LINK_TTL_MS);
  }

  get expiresAt(): Date {
    return new Date(this.expiresAtMs);
  }

  /** `signed-in` once, for the right token before it expires; after that `used`, whatever is presented. */
  consume(presented: string): 'signed-in' | 'wrong' | 'used' | 'expired' {
    if (this.digest === undefined) return 'used';
    if (!timingSafeEqual(sha256(presented), this.digest)) return 'wrong';
    if (this.clock.now().getTime() >= this.expiresAtMs) {
      this.digest = undefined;
      return 'expired';
    }
    this.digest = undefined;
    return 'signed-in';
  }
}

export const DEFAULT_SIGN_IN_LINK_TTL_MS = 60 * 60_000;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
