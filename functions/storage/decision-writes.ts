import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The counts one evaluation makes (a volume rule's minute count, an open episode's heartbeat), held until its
 * decision is kept. A store's `decideOnce` runs `decide` inside a DecisionWrites of its own kind, and that store's
 * counter and episode stores defer their writes to it instead of writing at once; the decision store runs them
 * only when the decision it keeps is this one. So an evaluation made again after a lost limit race, a redelivery,
 * or a second worker on the same event counts nothing: an event is counted once however often it is evaluated.
 * Reads inside the evaluation see its own pending counts and samples, as they saw its writes before.
 * `Write` is how the store runs them: after the decision's put (DynamoDB), or inside its write (lmdb).
 */
export class DecisionWrites<Write> {
  readonly #writes: Write[] = [];
  readonly #counts = new Map<string, number>();
  readonly #samples: Array<{ key: string; minute: number; sample: unknown }> = [];

  constructor(readonly kind: string) {}

  /** A write to run once the decision is kept. */
  defer(write: Write): void {
    this.#writes.push(write);
  }

  /** One event counted under `key` in `minute`, with its sample when it has one. */
  count(key: string, minute: number, sample?: unknown): void {
    const id = `${key}\u0000${minute}`;
    this.#counts.set(id, (this.#counts.get(id) ?? 0) + 1);
    if (sample !== undefined) this.#samples.push({ key, minute, sample });
  }

  /** What this evaluation counted under `key`, by minute from `fromMinute` to `toMinute`, not yet written. */
  counted(key: string, fromMinute: number, toMinute: number): Map<number, number> {
    const counts = new Map<number, number>();
    for (const [id, count] of this.#counts) {
      const at = id.lastIndexOf('\u0000');
      const minute = Number(id.slice(at + 1));
      if (id.slice(0, at) === key && minute >= fromMinute && minute <= toMinute) counts.set(minute, count);
    }
    return counts;
  }

  /** The samples this evaluation counted under `key` in those minutes, the latest first. */
  samples<Sample>(key: string, fromMinute: number, toMinute: number): Sample[] {
    return this.#samples
      .filter((entry) => entry.key === key && entry.minute >= fromMinute && entry.minute <= toMinute)
      .reverse()
      .map((entry) => entry.sample as Sample);
  }

  get writes(): readonly Write[] {
    return this.#writes;
  }
}

const current = new AsyncLocalStorage<DecisionWrites<unknown>>();

/** Runs `decide` with `writes` as the pending decision of everything it awaits. */
export function deciding<Write, T>(writes: DecisionWrites<Write>, decide: () => Promise<T>): Promise<T> {
  return current.run(writes as DecisionWrites<unknown>, decide);
}

/** The decision being made where this runs, when a store of `kind` is making one. */
export function pendingDecision<Write>(kind: string): DecisionWrites<Write> | undefined {
  const writes = current.getStore();
  return writes?.kind === kind ? (writes as DecisionWrites<Write>) : undefined;
}
