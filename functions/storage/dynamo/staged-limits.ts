import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { RuleState } from '../../core/rule-set.js';
import { fixedWindowIndex, slidingWindowAllows, usesSlidingWindow } from '../../rules/limit-window.js';
import { fixedWindowShards, fixedWindowSpend, SLIDING_SORT_KEY, shardShare, slidingWindowOf, slidingWindowPut } from './rule-state.js';

/** What this container last knew of a limit's item; a lower bound of what the table holds (limits only fill up). */
type Known = { sliding: { times: number[]; version: number | undefined } } | { fixedAtLeast: number };

/** Items remembered; the oldest is forgotten beyond this (and guessed absent again, which a refusal corrects). */
const MAX_KNOWN = 10_000;
/** How long a peek (a breaker's check) answers from the table read before, unless this container knows more. */
export const PEEK_MEMORY_MS = 1_000;

/**
 * The limit items this container wrote or was refused by, so that an evaluation can spend limits without
 * reading them first: its guesses go into the decision's transaction as conditions (the version it decided on,
 * or "still absent"), and a refusal returns the item as it is (ALL_OLD), which replaces the guess. A key never
 * seen is guessed absent, which is right for most authors' first message of the day.
 */
export class LimitCache {
  private readonly known = new Map<string, Known>();
  private readonly peeked = new Map<string, { count: number; at: number }>();

  get(id: string): Known | undefined {
    return this.known.get(id);
  }

  set(id: string, known: Known): void {
    this.known.delete(id);
    this.known.set(id, known);
    if (this.known.size > MAX_KNOWN) this.known.delete(this.known.keys().next().value as string);
  }

  /**
   * A breaker's check, read from the table at most once per PEEK_MEMORY_MS of evaluation time, and at once known
   * tripped when this container tripped it or a refusal showed it so: a breaker tripped elsewhere holds this
   * container's firings at most that much later (and only in the minutes after the one that tripped it, since in
   * that one the full ceiling refuses them anyway).
   */
  async peek(key: string, limit: number, windowMs: number, now: Date, table: NonNullable<RuleState['peek']>): Promise<number> {
    if (usesSlidingWindow(limit)) {
      const known = this.known.get(`${key}\u0000${SLIDING_SORT_KEY}`);
      const inWindow = known && 'sliding' in known ? known.sliding.times.filter((time) => time > now.getTime() - windowMs).length : 0;
      if (inWindow > 0) return inWindow;
    }
    const id = `${key}\u0000${limit}\u0000${windowMs}`;
    const read = this.peeked.get(id);
    if (read && Math.abs(now.getTime() - read.at) < PEEK_MEMORY_MS) return read.count;
    const count = await table(key, limit, windowMs, now);
    this.peeked.delete(id);
    this.peeked.set(id, { count, at: now.getTime() });
    if (this.peeked.size > MAX_KNOWN) this.peeked.delete(this.peeked.keys().next().value as string);
    return count;
  }

  /** A rule state for one evaluation, whose spends are written with its decision. */
  stage(tableName: string, peek: RuleState['peek']): StagedLimits {
    return new StagedLimits(this, tableName, peek);
  }
}

interface SlidingSpend {
  kind: 'sliding';
  key: string;
  windowMs: number;
  base: number | undefined;
  times: number[];
}

interface FixedSpend {
  kind: 'fixed';
  key: string;
  shard: number;
  limit: number;
  windowMs: number;
  now: Date;
  atLeast: number;
  n: number;
}

/** One limit item of the decision's transaction, and what to learn from its fate. */
export interface LimitSpendItem {
  item: TransactWriteItem;
  /** The transaction landed: the cache now knows the item as written. */
  committed(): void;
  /** Its condition failed: `current` is the item as the table holds it (absent when undefined). */
  refused(current: Record<string, AttributeValue> | undefined): void;
}

/**
 * The rule state an evaluation spends from: each `tryAcquire` is answered from what the container knows (no
 * read) and kept as one conditional item per limit item, for the decision store to write in the decision's
 * transaction. Spent exactly when the decision lands; a refused item means the guess was stale, and the
 * evaluation is run again on what the refusal returned.
 */
export class StagedLimits implements RuleState {
  private readonly spends = new Map<string, SlidingSpend | FixedSpend>();

  constructor(
    private readonly cache: LimitCache,
    private readonly tableName: string,
    private readonly peekTable: RuleState['peek'],
  ) {}

  async tryAcquire(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
    if (limit <= 0) return false;
    if (usesSlidingWindow(limit)) {
      const id = `${key}\u0000${SLIDING_SORT_KEY}`;
      const staged = this.spends.get(id) as SlidingSpend | undefined;
      const known = this.cache.get(id);
      const base = known && 'sliding' in known ? known.sliding : { times: [], version: undefined };
      const times = staged?.times ?? base.times;
      if (!slidingWindowAllows(times, limit, windowMs, now)) return false;
      const next = [...times.filter((time) => time > now.getTime() - windowMs), now.getTime()].slice(-limit);
      this.spends.set(id, { kind: 'sliding', key, windowMs, base: staged ? staged.base : base.version, times: next });
      return true;
    }
    // A shard this evaluation already spends from first, then one after another from a random one: the first with room.
    const shards = fixedWindowShards(limit);
    const window = fixedWindowIndex(now, windowMs);
    const idOf = (shard: number) => `${key}\u0000W#${window}#${shard}`;
    const first = Math.floor(Math.random() * shards);
    const order = Array.from({ length: shards }, (_, offset) => (first + offset) % shards);
    order.sort((a, b) => Number(this.spends.has(idOf(b))) - Number(this.spends.has(idOf(a))));
    for (const shard of order) {
      const id = idOf(shard);
      const staged = this.spends.get(id) as FixedSpend | undefined;
      const known = this.cache.get(id);
      const atLeast = known && 'fixedAtLeast' in known ? known.fixedAtLeast : 0;
      const n = (staged?.n ?? 0) + 1;
      if (atLeast + n > shardShare(limit, shards, shard)) continue;
      this.spends.set(id, { kind: 'fixed', key, shard, limit, windowMs, now, atLeast, n });
      return true;
    }
    return false;
  }

  /** The breaker's check: from the table, as the plain rule state reads it, through the container's memory (LimitCache.peek). */
  async peek(key: string, limit: number, windowMs: number, now: Date): Promise<number> {
    return this.peekTable ? this.cache.peek(key, limit, windowMs, now, this.peekTable) : 0;
  }

  /** The conditional writes of what was spent, one per limit item; none when nothing was. */
  items(): LimitSpendItem[] {
    return [...this.spends].map(([id, spend]) => {
      if (spend.kind === 'sliding') {
        return {
          item: {
            Put: {
              ...slidingWindowPut(this.tableName, spend.key, spend.times, spend.windowMs, spend.base),
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          committed: () => this.cache.set(id, { sliding: { times: spend.times, version: (spend.base ?? 0) + 1 } }),
          refused: (current) => this.cache.set(id, { sliding: slidingWindowOf(current) }),
        };
      }
      return {
        item: {
          Update: {
            ...fixedWindowSpend(this.tableName, spend.key, spend.n, spend.limit, spend.windowMs, spend.now, spend.shard),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        committed: () => this.cache.set(id, { fixedAtLeast: spend.atLeast + spend.n }),
        refused: (current) => this.cache.set(id, { fixedAtLeast: Number(current?.count?.N ?? '0') }),
      };
    });
  }
}
