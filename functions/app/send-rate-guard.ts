import type { ActionExecutor } from '../core/act.js';
import { commandPlatform } from '../core/action-command.js';
import { TransientActionError } from '../core/errors.js';
import type { Clock } from '../core/ports.js';
import { heldBucket, type SendBucket, type SendRate, takeSends } from '../platforms/send-rates.js';

/** A take's answer: send now, or come back in `retryAfterMs` (the command's slot, or the platform's pause). */
export type SendRateAnswer = { granted: true } | { granted: false; retryAfterMs: number };

/**
 * Every act instance's view of one bucket per platform (functions/platforms/send-rates.ts), with the slots it gave
 * the commands it turned away: the table on AWS, memory on one machine. Its consumer, the guard below, owns this port.
 */
export interface SendRateLimiter {
  /** Takes `cost` sends of `platform`'s bucket for command `commandId` at `now` (its slot, when it has one). */
  take(platform: string, commandId: string, cost: number, rate: SendRate, now: Date): Promise<SendRateAnswer>;
  /** Lets nothing through to `platform` before `until` (it answered 429 with a retry time). */
  holdUntil(platform: string, until: Date, rate: SendRate): Promise<void>;
}

export interface SendRateGuardOptions {
  inner: ActionExecutor;
  limiter: SendRateLimiter;
  rates: Readonly<Record<string, SendRate>>;
  clock: Clock;
  /** Told when the limiter could not be reached: the send goes ahead, limited by the platform's own 429s as before. */
  onLimiterError?: (error: unknown, platform: string) => void;
  /** Which commands the rates hold back (default: every reply and post); the others go at once. */
  applies?: (command: Parameters<ActionExecutor>[0]) => boolean;
}

/**
 * Before a reply or post leaves, one send (a thread: one per part) is taken from its platform's bucket; when the
 * bucket is empty the command is given the next free slot and retried then, never sent now (the act stage delays the
 * message on the queue, as after a platform's 429). A 429 the platform answers anyway is retried after its
 * Retry-After as before, and holds the bucket back until then, so the other instances wait too. On AWS a send costs
 * two or three table calls (the command's slot, the bucket, a conditional write).
 */
export function sendRateGuardedExecutor(options: SendRateGuardOptions): ActionExecutor {
  return async (command) => {
    const platform = commandPlatform(command);
    const rate = Object.hasOwn(options.rates, platform) ? options.rates[platform] : undefined;
    if (!rate || (options.applies && !options.applies(command))) return options.inner(command);
    const parts = command.params.parts;
    const cost = Array.isArray(parts) && parts.length > 0 ? parts.length : 1;
    let taken: SendRateAnswer = { granted: true };
    try {
      taken = await options.limiter.take(platform, command.id, cost, rate, options.clock.now());
    } catch (error) {
      options.onLimiterError?.(error, platform);
    }
    if (!taken.granted) {
      throw new TransientActionError(
        `${platform}: Foghorn sends at most ${rate.rateLimit} a second (bursts of ${rate.burstLimit}) there; not sent, its turn is in ${taken.retryAfterMs} ms`,
        taken.retryAfterMs,
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

/** The buckets and slots in this process's memory: one machine's act stage, and tests. */
export class MemorySendRateLimiter implements SendRateLimiter {
  readonly #buckets = new Map<string, SendBucket>();
  readonly #slots = new Map<string, number>();

  async take(platform: string, commandId: string, cost: number, rate: SendRate, now: Date): Promise<SendRateAnswer> {
    const bucket = this.#buckets.get(platform) ?? {};
    const slotKey = `${platform}\u0000${commandId}`;
    const decision = takeSends(bucket, this.#slots.get(slotKey), now.getTime(), cost, rate);
    switch (decision.kind) {
      case 'sent':
        this.#buckets.set(platform, { ...bucket, tat: decision.tat });
        return { granted: true };
      case 'slot':
        this.#slots.delete(slotKey);
        return { granted: true };
      case 'reserved':
        this.#buckets.set(platform, { ...bucket, tat: decision.tat });
        this.#slots.set(slotKey, decision.slotAt);
        return { granted: false, retryAfterMs: decision.retryAfterMs };
      case 'wait':
        return { granted: false, retryAfterMs: decision.retryAfterMs };
    }
  }

  async holdUntil(platform: string, until: Date, rate: SendRate): Promise<void> {
    this.#buckets.set(platform, heldBucket(this.#buckets.get(platform) ?? {}, until.getTime(), rate));
  }
}
