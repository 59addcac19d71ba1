/**
 * A write that a kept decision owes (a spike rule's minute count, an open episode's heartbeat), held in this
 * container until the batch being evaluated is done, and then written merged with the others held under the same
 * key: one `ADD n` on a counter or a heartbeat instead of one `ADD 1` per event.
 */
export interface HeldWrite {
  /** What it counts (a store's own name for it): reads find theirs by it. */
  readonly kind: string;
  /** Held writes of one kind with the same key are written as one. */
  readonly mergeKey: string;
  /** Writes `group` (every write held under this one's key, this one first) as one. */
  writeMerged(group: readonly HeldWrite[]): Promise<void>;
}

/**
 * The counts the decisions of one evaluate batch held (counter-store.ts, episode-store.ts), shared by the stores of a
 * container and written by `settle` when the batch is done (DynamoDecisionStore.settle, which the evaluate handler
 * calls). Reads made before then add what is held, so a batch's later events see its earlier ones. The decision that
 * owes a count is already kept, so a crash before `settle` loses that count and never doubles it (an event is never
 * counted on a redelivery): the same promise as writing each count just after its decision, over a wider window.
 */
export class HeldCounts {
  #held: HeldWrite[] = [];

  hold(write: HeldWrite): void {
    this.#held.push(write);
  }

  /** What is held now of `kind`, oldest first (the store that holds that kind knows its shape). */
  of<Write extends HeldWrite>(kind: Write['kind']): Write[] {
    return this.#held.filter((write) => write.kind === kind) as Write[];
  }

  /** Everything held now, oldest first. */
  get held(): readonly HeldWrite[] {
    return this.#held;
  }

  /**
   * Writes what is held, merged by key, and empties the buffer. Every group is tried; when some fail, the error names
   * how many and carries the first cause (their counts are lost, as a crash would lose them: never written twice).
   */
  async settle(): Promise<void> {
    const taken = this.#held;
    this.#held = [];
    if (taken.length === 0) return;
    const groups = new Map<string, HeldWrite[]>();
    for (const write of taken) {
      const id = `${write.kind}\u0000${write.mergeKey}`;
      const group = groups.get(id);
      if (group) group.push(write);
      else groups.set(id, [write]);
    }
    const results = await Promise.allSettled([...groups.values()].map((group) => group[0]!.writeMerged(group)));
    const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed.length > 0)
      throw new Error(`${failed.length} of ${groups.size} held count writes failed (${taken.length} counts held); their counts are lost`, {
        cause: failed[0]!.reason,
      });
  }
}
