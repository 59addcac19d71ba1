import type { DynamoCall, IndexShape, TableShape } from './in-process-dynamo.js';
import { type Item, itemSize, type ReadConsistency, readUnits, writeUnits } from './item-size.js';

/**
 * Request units by time bucket (a second, or the sampled window when shorter) and by partition key, table and index apart, from the touches the in-process
 * DynamoDB reports. The rules (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html,
 * and for indexes https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes):
 * - a put or update costs the larger of the item before and after, a delete the item it removed, a write a
 *   condition refused the existing item (at least 1 WRU); a transaction's writes cost twice;
 * - an index is written when an item enters it, leaves it (the old image's projection), changes its index key
 *   (a delete and a put: two writes) or changes a projected attribute; never when only unprojected ones change.
 *   Index writes are standard writes, a transaction's included;
 * - a read costs the sum of the items it examined, rounded up to 4 KB, at least 1 RRU; half when eventually
 *   consistent (every index read), twice in a transaction (a transaction's condition check reads its item).
 */

/** One partition key of the table or of an index: `pk=CRISIS`, `gsi1:gsi1pk=EVENTS`. */
export type PartitionName = string;

export interface Units {
  wru: number;
  rru: number;
}

export interface KeyFigures extends Units {
  key: PartitionName;
}

export const LIMITS = {
  /** One partition's ceiling: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html */
  wruPerSecond: 1000,
  rruPerSecond: 3000,
} as const;

export class CapacityLedger {
  /** Units by bucket of time, then by partition key. */
  readonly #seconds = new Map<number, Map<PartitionName, Units>>();
  readonly #calls = new Map<string, number>();
  readonly #shape: () => TableShape;
  readonly #bucket: () => number;
  /** How long a bucket is: units are counted by bucket, and reported per second. */
  readonly bucketSeconds: number;

  constructor(options: { shape: () => TableShape; bucket: () => number; bucketSeconds?: number }) {
    this.#shape = options.shape;
    this.#bucket = options.bucket;
    this.bucketSeconds = options.bucketSeconds ?? 1;
  }

  /** One DynamoDB call, priced and added to the current second. */
  record(call: DynamoCall): void {
    this.#calls.set(call.command, (this.#calls.get(call.command) ?? 0) + 1);
    const shape = this.#shape();
    for (const write of call.writes) {
      const tableBytes = write.refused ? itemSize(write.before) : Math.max(itemSize(write.before), itemSize(write.after));
      this.#add(`${shape.partitionKey}=${partitionValue(write.before ?? write.after ?? write.key, shape.partitionKey)}`, {
        wru: writeUnits(tableBytes, write.transactional),
        rru: 0,
      });
      if (write.refused) continue;
      for (const index of shape.indexes) {
        for (const indexWrite of indexWrites(index, shape, write.before, write.after)) {
          this.#add(`${index.name}:${index.partitionKey}=${indexWrite.partition}`, { wru: writeUnits(indexWrite.bytes), rru: 0 });
        }
      }
    }
    for (const read of call.reads) {
      const bytes = read.items.reduce(
        (sum, item) => sum + itemSize(read.index ? projected(indexOf(shape, read.index), shape, item) : item),
        0,
      );
      const consistency: ReadConsistency = read.transactional ? 'transactional' : read.consistent && !read.index ? 'strong' : 'eventual';
      const name = read.index
        ? `${read.index}:${indexOf(shape, read.index).partitionKey}=${read.partition}`
        : `${shape.partitionKey}=${read.partition}`;
      this.#add(name, { wru: 0, rru: readUnits(bytes, consistency) });
    }
  }

  /** The buckets that saw any call, in order. */
  get buckets(): number[] {
    return [...this.#seconds.keys()].sort((a, b) => a - b);
  }

  /** Calls by command name. */
  get calls(): ReadonlyMap<string, number> {
    return this.#calls;
  }

  /** Every key's units per second in one bucket. */
  bucket(bucket: number): KeyFigures[] {
    return [...(this.#seconds.get(bucket) ?? new Map<PartitionName, Units>()).entries()].map(([key, units]) => ({
      key,
      wru: units.wru / this.bucketSeconds,
      rru: units.rru / this.bucketSeconds,
    }));
  }

  /** Each key's busiest bucket in units per second, for WRU and RRU apart (they need not be the same bucket). */
  peaks(): KeyFigures[] {
    const peaks = new Map<PartitionName, Units>();
    for (const keys of this.#seconds.values()) {
      for (const [key, units] of keys) {
        const peak = peaks.get(key) ?? { wru: 0, rru: 0 };
        peaks.set(key, { wru: Math.max(peak.wru, units.wru), rru: Math.max(peak.rru, units.rru) });
      }
    }
    return [...peaks.entries()].map(([key, units]) => ({ key, wru: units.wru / this.bucketSeconds, rru: units.rru / this.bucketSeconds }));
  }

  /** All units, of every key and second: what the table is billed. */
  totals(): Units & { indexWru: number } {
    const totals = { wru: 0, rru: 0, indexWru: 0 };
    for (const keys of this.#seconds.values()) {
      for (const [key, units] of keys) {
        totals.wru += units.wru;
        totals.rru += units.rru;
        if (isIndexKey(key)) totals.indexWru += units.wru;
      }
    }
    return totals;
  }

  /** All units by family of key (keyFamily), busiest first by WRU: where the bill goes. */
  families(): KeyFigures[] {
    const families = new Map<string, Units>();
    for (const keys of this.#seconds.values()) {
      for (const [key, units] of keys) {
        const family = keyFamily(key);
        const sum = families.get(family) ?? { wru: 0, rru: 0 };
        families.set(family, { wru: sum.wru + units.wru, rru: sum.rru + units.rru });
      }
    }
    return [...families.entries()].map(([key, units]) => ({ key, ...units })).sort((a, b) => b.wru - a.wru || b.rru - a.rru);
  }

  #add(key: PartitionName, units: Units): void {
    const bucket = this.#bucket();
    let keys = this.#seconds.get(bucket);
    if (!keys) this.#seconds.set(bucket, (keys = new Map()));
    const sum = keys.get(key) ?? { wru: 0, rru: 0 };
    keys.set(key, { wru: sum.wru + units.wru, rru: sum.rru + units.rru });
  }
}

/** An index's partition (`gsi2:gsi2pk=EVENTS#7`) rather than the table's (`pk=LIMIT#rule:storm-hours:minute`, colons and all). */
export function isIndexKey(key: PartitionName): boolean {
  const colon = key.indexOf(':');
  return colon >= 0 && colon < key.indexOf('=');
}

/**
 * A partition key with its ids and shards left out: `pk=LIMIT#rule:storm-hours:minute#3` → `pk=LIMIT#…:minute`,
 * `gsi2:gsi2pk=EVENTS#7` → `gsi2:gsi2pk=EVENTS`, `pk=EVENT#abc` → `pk=EVENT`.
 */
export function keyFamily(key: PartitionName): string {
  const [head, rest] = splitOnce(key, '#');
  if (rest === undefined) return head;
  if (head.endsWith('=LIMIT')) return `${head}#…:${rest.split(':').at(-1)?.replace(/#\d+$/, '')}`;
  return head;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** The keys over a partition's ceiling, with the ceiling each passes. */
export function hotKeys(peaks: readonly KeyFigures[]): Array<KeyFigures & { over: Array<'wru' | 'rru'> }> {
  return peaks
    .map((figures) => ({
      ...figures,
      over: [
        ...(figures.wru > LIMITS.wruPerSecond ? (['wru'] as const) : []),
        ...(figures.rru > LIMITS.rruPerSecond ? (['rru'] as const) : []),
      ],
    }))
    .filter((figures) => figures.over.length > 0);
}

/** The index writes one item write makes: each with the index partition it lands on and its projected size. */
export function indexWrites(
  index: IndexShape,
  shape: TableShape,
  before: Item | undefined,
  after: Item | undefined,
): Array<{ partition: string; bytes: number }> {
  const was = before !== undefined && inIndex(index, before);
  const is = after !== undefined && inIndex(index, after);
  if (!was && !is) return [];
  const entry = (item: Item) => ({ partition: partitionValue(item, index.partitionKey), bytes: itemSize(projected(index, shape, item)) });
  if (was && !is) return [entry(before!)];
  if (!was && is) return [entry(after!)];
  const keyChanged = [index.partitionKey, index.sortKey].some((name) => name && !sameValue(before![name], after![name]));
  if (keyChanged) return [entry(before!), entry(after!)];
  const old = projected(index, shape, before!);
  const now = projected(index, shape, after!);
  if (sameValue({ M: old }, { M: now })) return [];
  return [{ partition: partitionValue(after!, index.partitionKey), bytes: Math.max(itemSize(old), itemSize(now)) }];
}

/** The attributes of an item that the index holds: its keys and the table's, and what its projection names. */
export function projected(index: IndexShape, shape: TableShape, item: Item): Item {
  if (index.projection.type === 'ALL') return item;
  const names = new Set([shape.partitionKey, shape.sortKey, index.partitionKey, index.sortKey].filter((name): name is string => !!name));
  if (index.projection.type === 'INCLUDE') for (const name of index.projection.attributes) names.add(name);
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name)));
}

function inIndex(index: IndexShape, item: Item): boolean {
  return item[index.partitionKey] !== undefined && (index.sortKey === undefined || item[index.sortKey] !== undefined);
}

function indexOf(shape: TableShape, name: string): IndexShape {
  const index = shape.indexes.find((each) => each.name === name);
  if (!index) throw new Error(`capacity ledger: the table has no index ${name}`);
  return index;
}

function partitionValue(item: Item, attribute: string): string {
  const value = item[attribute];
  return value?.S ?? value?.N ?? '';
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
