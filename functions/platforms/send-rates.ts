/**
 * How fast Foghorn sends to each platform: a steady rate and a burst, shared by every act instance (a token bucket
 * per platform in the table on AWS), so a storm's replies leave at what the platform takes instead of all at once
 * and into its 429s. Each default is under the platform's documented limit for one account or bot, which is what a
 * deployment sends with; a platform not listed (generic) is not limited. A team with a higher tier sets its own in the
 * stack's `sendRates` (docs/deploy.md, "Send rates"). A 429 the platform still answers is retried after its
 * Retry-After as before, and holds the platform's bucket back for every instance until then.
 */
export interface SendRate {
  /** Sends per second, steady (below 1 for limits counted per quarter hour or per day). */
  rateLimit: number;
  /** Sends that may go at once after a quiet spell. */
  burstLimit: number;
}

export const DEFAULT_SEND_RATES: Readonly<Record<string, SendRate>> = {
  // POST /2/tweets: 200 requests per 15 minutes per user (X API v2 default); DMs are tighter and answer 429 with a reset.
  x: { rateLimit: 0.2, burstLimit: 10 },
  // Bot API: about 30 messages per second overall, one a second per chat (bursts allowed), 20 a minute per group.
  telegram: { rateLimit: 25, burstLimit: 30 },
  // chat.postMessage: one message per second per channel with short bursts, and a workspace-wide limit.
  slack: { rateLimit: 5, burstLimit: 10 },
  // 50 requests per second per bot (global); 5 messages per 5 seconds per channel.
  discord: { rateLimit: 40, burstLimit: 50 },
  // Cloud API: 80 messages per second per business phone number, inbound included.
  whatsapp: { rateLimit: 50, burstLimit: 80 },
  // Graph API: Messenger sends and Page comments fall under the Page's business-use-case limit.
  facebook: { rateLimit: 20, burstLimit: 40 },
  // Instagram messaging (100 calls per second per account for text) and comment replies (business-use-case limit).
  instagram: { rateLimit: 20, burstLimit: 40 },
  // 20 requests per second with a community token.
  vk: { rateLimit: 15, burstLimit: 20 },
  // 100 requests per minute per OAuth client, shared with the poller.
  reddit: { rateLimit: 1, burstLimit: 5 },
  // createRecord costs 3 of 5,000 points an hour per account: about 1,666 posts an hour.
  bluesky: { rateLimit: 0.4, burstLimit: 10 },
  // 300 requests per 5 minutes per account (mastodon.social's default).
  mastodon: { rateLimit: 0.5, burstLimit: 10 },
  // commentThreads.insert costs 50 of the project's 10,000 quota units a day: 200 comments a day.
  youtube: { rateLimit: 0.002, burstLimit: 10 },
  // Member and organization social actions are limited per day; LinkedIn answers 429 past them.
  linkedin: { rateLimit: 0.5, burstLimit: 10 },
};

export class InvalidSendRateError extends Error {
  override name = 'InvalidSendRateError';
}

/** Each platform's send rate: its own setting over its default; `platforms` may name only platforms Foghorn sends to. */
export function sendRates(
  overrides: Readonly<Record<string, SendRate>> = {},
  platforms: readonly string[] = Object.keys(DEFAULT_SEND_RATES),
): Record<string, SendRate> {
  for (const name of Object.keys(overrides)) {
    if (!platforms.includes(name))
      throw new InvalidSendRateError(`sendRates.${name}: Foghorn sends nothing to '${name}' (platforms: ${platforms.join(', ')})`);
  }
  const merged: Record<string, SendRate> = {};
  for (const [platform, rate] of Object.entries({ ...DEFAULT_SEND_RATES, ...overrides })) {
    merged[platform] = checkedSendRate(rate, `sendRates.${platform}`);
  }
  return merged;
}

/** FOGHORN_SEND_RATES as the stack wrote it: a JSON object of platform → { rateLimit, burstLimit }. */
export function parseSendRates(json: string, where = 'FOGHORN_SEND_RATES'): Record<string, SendRate> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new InvalidSendRateError(`${where} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidSendRateError(`${where} must be a JSON object of platform → { rateLimit, burstLimit }`);
  return Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).map(([platform, rate]) => [platform, checkedSendRate(rate, `${where}.${platform}`)]),
  );
}

function checkedSendRate(rate: unknown, where: string): SendRate {
  const { rateLimit, burstLimit } = (typeof rate === 'object' && rate !== null ? rate : {}) as Partial<SendRate>;
  if (typeof rateLimit !== 'number' || !(rateLimit > 0) || !Number.isFinite(rateLimit))
    throw new InvalidSendRateError(`${where}.rateLimit must be a number of sends per second above 0, got ${String(rateLimit)}`);
  if (typeof burstLimit !== 'number' || !Number.isInteger(burstLimit) || burstLimit < 1)
    throw new InvalidSendRateError(`${where}.burstLimit must be a whole number of sends of at least 1, got ${String(burstLimit)}`);
  return { rateLimit, burstLimit };
}

/** One platform's bucket (GCRA: a token bucket as one number): see takeSends. */
export interface SendBucket {
  /** When (epoch ms) the bucket would be full again, counting the sends granted and the slots reserved. */
  tat?: number;
  /** The platform answered 429: nothing leaves before this time (epoch ms), reserved slots included. */
  heldUntil?: number;
}

/**
 * What a take comes to: `sent` (write the bucket's new `tat`), `slot` (the command's reserved slot is due: send, and
 * mark the slot used), `reserved` (write `tat` and the command's slot; it comes back at `slotAt`), or `wait` (nothing
 * to write: its slot or the platform's pause is not over).
 */
export type SendRateDecision =
  | { kind: 'sent'; tat: number }
  | { kind: 'slot' }
  | { kind: 'reserved'; tat: number; slotAt: number; retryAfterMs: number }
  | { kind: 'wait'; retryAfterMs: number };

/** How early a command may come back for its slot: the queue's delays are whole seconds, rounded up. */
const SLOT_GRACE_MS = 1000;

/**
 * A send of `cost` (a thread: its parts; charged as the burst at most, so a long thread still goes) at `now`. Granted
 * when, after it, the bucket is no more than `burstLimit` sends' worth behind now. Otherwise the command is given the
 * next free slot and told to come back then: the slot is charged now, so later commands queue behind it instead of
 * taking its turn, and a storm's backlog leaves in order at the rate, each command received about twice, not once per
 * try. A command that comes back with a slot (`slotAt`) spends it, after the platform's pause if there is one.
 */
export function takeSends(bucket: SendBucket, slotAt: number | undefined, now: number, cost: number, rate: SendRate): SendRateDecision {
  const held = bucket.heldUntil ?? 0;
  if (slotAt !== undefined) {
    const due = Math.max(slotAt, held);
    return due <= now + SLOT_GRACE_MS ? { kind: 'slot' } : { kind: 'wait', retryAfterMs: Math.ceil(due - now) };
  }
  const interval = 1000 / rate.rateLimit;
  const tolerance = rate.burstLimit * interval;
  const tat = Math.max(bucket.tat ?? now, now) + Math.min(Math.max(cost, 1), rate.burstLimit) * interval;
  const allowedAt = Math.max(tat - tolerance, held);
  if (allowedAt <= now) return { kind: 'sent', tat };
  return { kind: 'reserved', tat, slotAt: allowedAt, retryAfterMs: Math.ceil(allowedAt - now) };
}

/** The bucket after a 429 asking for a pause until `until`: new sends queue after it, one at a time. */
export function heldBucket(bucket: SendBucket, until: number, rate: SendRate): Required<SendBucket> {
  const interval = 1000 / rate.rateLimit;
  return {
    tat: Math.max(bucket.tat ?? 0, until + (rate.burstLimit - 1) * interval),
    heldUntil: Math.max(bucket.heldUntil ?? 0, until),
  };
}
