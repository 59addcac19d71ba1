import type { ActionExecutor } from '../core/act.js';
import { TransientActionError } from '../core/errors.js';
import type { Clock } from '../core/ports.js';
import { heldUntil, type SendRate, takeSends } from '../platforms/send-rates.js';

/**
 * Every act instance's view of one bucket per platform (functions/platforms/send-rates.ts): the table on AWS,
 * memory on one machine. Its consumer, the guard below, owns this port.
 */
export interface SendRateLimiter {
  /** Takes `cost` sends of `platform`'s bucket at `now`, or says how long until they would be granted. */
  take(platform: string, cost: number, rate: SendRate, now: Date): Promise<{ granted: true } | { granted: false; retryAfterMs: number }>;
  /** Lets nothing through to `platform` before `until` (it answered 429 with a retry time). */
  holdUntil(platform: string, until: Date, rate: SendRate): Promise<void>;
}

export interface SendRateGuardOptions {
  inner: ActionExecutor;
  limiter: SendRateLimiter;
  rates: Readonly<Record<string, SendRate>>;
  clock: Clock;
  /** 0 to 1; spreads the commands turned away at the same moment over as long again, so they do not all return together. */
  random?: () => number;
  /** Told when the limiter could not be reached: the send goes ahead, limited by the platform's own 429s as before. */
  onLimiterError?: (error: unknown, platform: string) => void;
}

/**
 * Before a reply or post leaves, one send (a thread: one per part) is taken from its platform's bucket; when the
 * bucket is empty the command is retried later, never sent, with the wait the bucket names (the act stage delays the
 * message on the queue, as after a platform's 429). A 429 the platform answers anyway is retried after its
 * Retry-After as before, and holds the bucket back until then, so the other instances wait too. Costs two table
 * calls per send (one read, one conditional write) on AWS.
 */
export function sendRateGuardedExecutor(options: SendRateGuardOptions): ActionExecutor {
  const random = options.random ?? Math.random;
  return async (command) => {
    const platform = typeof command.params.platform === 'string' ? command.params.platform : command.event.platform;
    const rate = Object.hasOwn(options.rates, platform) ? options.rates[platform] : undefined;
    if (!rate) return options.inner(command);
    const parts = command.params.parts;
    const cost = Array.isArray(parts) && parts.length > 0 ? parts.length : 1;
    let taken: Awaited<ReturnType<SendRateLimiter['take']>> = { granted: true };
    try {
      taken = await options.limiter.take(platform, cost, rate, options.clock.now());
    } catch (error) {
      options.onLimiterError?.(error, platform);
    }
    if (!taken.granted) {
      const wait = Math.ceil(taken.retryAfterMs * (1 + random()));
      throw new TransientActionError(
        `${platform}: Foghorn sends at most ${rate.rateLimit} a second (bursts of ${rate.burstLimit}) there; not sent, next try in ${wait} ms`,
        wait,
      );
    }
    try {
      return await options.inner(command);
    } catch (error) {
      if (error instanceof TransientActionError && error.retryAfterMs !== undefined && error.retryAfterMs > 0) {
        const until = new Date(options.clock.now().getTime() + error.retryAfterMs);
        await options.limiter.holdUntil(platform, until, rate).catch((holdError: unknown) => options.onLimiterError?.(holdError, platform));
      }
      throw error;
    }
  };
}

/** The buckets in this process's memory: one machine's act stage, and tests. */
export class MemorySendRateLimiter implements SendRateLimiter {
  readonly #tats = new Map<string, number>();

  async take(
    platform: string,
    cost: number,
    rate: SendRate,
    now: Date,
  ): Promise<{ granted: true } | { granted: false; retryAfterMs: number }> {
    const decision = takeSends(this.#tats.get(platform), now.getTime(), cost, rate);
    if (!decision.granted) return decision;
    this.#tats.set(platform, decision.tat);
    return { granted: true };
  }

  async holdUntil(platform: string, until: Date, rate: SendRate): Promise<void> {
    this.#tats.set(platform, heldUntil(this.#tats.get(platform), until.getTime(), rate));
  }
}
