import { DAY_SECONDS } from '../../core/retention.js';
import type { WriteTx } from './database.js';

/**
 * Retention for the embedded store, the same periods as DynamoDB's `ttl` (core/retention.ts, crisis/retention.ts).
 * Each expiring record has an expiry entry, put in the same transaction as the record:
 *   idx/expiry/<epoch second, 12 digits>/<record key>  → every key that goes with the record (itself, its listings)
 * so the sweep (EmbeddedDatabase.sweepExpired) reads the entries due, oldest first, and removes what they name; a
 * key already gone is no matter. Reads filter on the record's own time, so nothing expired is answered before the
 * sweep gets to it. Records kept before expiry entries existed are given theirs by a bounded backfill: each kind
 * (registered by its store) is scanned in key order, a marker `retention/backfill/<kind>` saying how far.
 */
export const EXPIRY_PREFIX = 'idx/expiry/';
export const BACKFILL_PREFIX = 'retention/backfill/';

/** What a store tells the sweep about a record type, so records without an expiry entry get one. */
export interface RetainedKind {
  /** Names the backfill marker. */
  name: string;
  /** The record keys (and only they) of this kind start with it. */
  prefix: string;
  /** The record's expiry (epoch seconds) and every key that goes with it; undefined when it never expires. */
  expiryOf(key: string, value: unknown): Expiry | undefined;
}

export interface Expiry {
  /** Epoch seconds: the record is gone from then on (as DynamoDB's `ttl`). */
  at: number;
  /** The record key the entry is filed under. */
  key: string;
  /** Every key to remove with it, the record key included. */
  keys: readonly string[];
}

/** Epoch seconds `days` after `time` (ISO or epoch ms), as storage/dynamo/table.ts's expiresIn. */
export function expiresAfter(time: string | number | Date, days: number): number {
  const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : time.getTime();
  return Math.floor(ms / 1000) + days * DAY_SECONDS;
}

export function expiryKey(at: number, recordKey: string): string {
  return `${EXPIRY_PREFIX}${String(Math.max(0, Math.floor(at))).padStart(12, '0')}/${recordKey}`;
}

/** Files the record's expiry entry inside `tx` (the record's own write). */
export function putExpiry(tx: WriteTx, expiry: Expiry): void {
  tx.put(expiryKey(expiry.at, expiry.key), expiry.keys);
}
