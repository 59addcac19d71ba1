import type { SlaTimer, TimerStore } from '../../crisis/ports.js';
import { TIMER_RETENTION_DAYS } from '../../crisis/retention.js';
import { filingMinute } from '../../crisis/sla-timer.js';
import type { EmbeddedDatabase } from './database.js';
import { type Expiry, expiresAfter, putExpiry, type RetainedKind } from './retention.js';

const SWEPT_KEY = 'crisis/timer-swept';

/** A timer and the minute it is filed under (its due minute, or the minute it was put when overdue). */
interface TimerRecord {
  timer: SlaTimer;
  minute: number;
}

function timerKey(id: string): string {
  return `crisis/timer/${encodeURIComponent(id)}`;
}

function duePrefix(minute: number): string {
  return `crisis/timer-due/${String(Math.max(0, minute)).padStart(10, '0')}/`;
}

function dueKey(record: TimerRecord): string {
  return `${duePrefix(record.minute)}${encodeURIComponent(record.timer.dueAt)}#${encodeURIComponent(record.timer.id)}`;
}

const CONVERSATION_PREFIX = 'crisis/timer-conv/';

function conversationPrefix(conversation: string): string {
  return `${CONVERSATION_PREFIX}${encodeURIComponent(conversation)}/`;
}

/**
 * Which conversations have pending timers, in memory: loaded from the conversation listing once per database
 * (one read at start), then kept in step by each put and settle as its commit lands. Every reply looks for
 * timers in its conversation, and almost always there is none: that look reads nothing. Memory can be trusted
 * because one process owns the data folder and every timer store over the database shares this index.
 */
class PendingByConversation {
  private readonly ids = new Map<string, Set<string>>();

  constructor(db: EmbeddedDatabase) {
    for (const { key, value: id } of db.range<string>({ prefix: CONVERSATION_PREFIX })) {
      const conversation = key.slice(CONVERSATION_PREFIX.length).split('/')[0];
      if (conversation !== undefined) this.add(decodeURIComponent(conversation), id);
    }
  }

  get(conversation: string): readonly string[] {
    return [...(this.ids.get(conversation) ?? [])];
  }

  add(conversation: string, id: string): void {
    const ids = this.ids.get(conversation) ?? new Set<string>();
    ids.add(id);
    this.ids.set(conversation, ids);
  }

  remove(conversation: string, id: string): void {
    const ids = this.ids.get(conversation);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.ids.delete(conversation);
  }
}

const indexes = new WeakMap<EmbeddedDatabase, PendingByConversation>();

function pendingIndexOf(db: EmbeddedDatabase): PendingByConversation {
  let index = indexes.get(db);
  if (!index) {
    index = new PendingByConversation(db);
    indexes.set(db, index);
  }
  return index;
}

/**
 * SLA timers (`crisis/timer/<id>`). A pending timer is listed under its filing minute
 * (`crisis/timer-due/<epoch minute>/…`), so the sweep reads only the minutes since it last ran, and under
 * each of its conversations (`crisis/timer-conv/<conversation>/<id>`, mirrored in memory), so an answer finds
 * it. Putting and settling are one transaction each, index entries included: settling removes them, and a
 * timer settles once. Kept TIMER_RETENTION_DAYS after its `dueAt`, settled or not, as on DynamoDB (the expiry
 * entry names its listings too; settling has removed them already).
 */
export class EmbeddedTimerStore implements TimerStore {
  private readonly pending: PendingByConversation;

  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedTimerStore: an EmbeddedDatabase is required');
    this.pending = pendingIndexOf(db);
    db.retain(TIMER_KIND);
  }

  /** The timer unless it has expired (the sweep may not have removed it yet). */
  private live(id: string): SlaTimer | undefined {
    const record = this.db.get<TimerRecord>(timerKey(id));
    return record && !this.db.isExpired(timerExpiry(record).at) ? record.timer : undefined;
  }

  async put(timer: SlaTimer, now: Date): Promise<boolean> {
    const key = timerKey(timer.id);
    if (this.db.get(key) !== undefined) return false;
    const record: TimerRecord = { timer, minute: filingMinute(timer, now) };
    return this.db.write((tx) => {
      if (tx.get(key) !== undefined) return false;
      tx.put(key, record);
      putExpiry(tx, timerExpiry(record));
      if (timer.status === 'pending') {
        tx.put(dueKey(record), timer.id);
        for (const conversation of timer.conversations)
          tx.put(`${conversationPrefix(conversation)}${encodeURIComponent(timer.id)}`, timer.id);
        tx.afterCommit((committed) => {
          if (committed) for (const conversation of timer.conversations) this.pending.add(conversation, timer.id);
        });
      }
      return true;
    });
  }

  async get(id: string): Promise<SlaTimer | undefined> {
    return this.live(id);
  }

  async pendingInMinutes(minutes: readonly number[]): Promise<SlaTimer[]> {
    return minutes.flatMap((minute) => this.pendingListed(duePrefix(minute)));
  }

  async pendingInConversation(conversation: string): Promise<SlaTimer[]> {
    const timers: SlaTimer[] = [];
    for (const id of this.pending.get(conversation)) {
      const timer = this.live(id);
      if (timer?.status === 'pending') timers.push(timer);
      // Settled (or gone) without the index hearing of it: it leaves the index.
      else this.pending.remove(conversation, id);
    }
    return timers;
  }

  async settle(id: string, status: 'answered' | 'fired', at: Date): Promise<boolean> {
    const key = timerKey(id);
    if (this.db.get<TimerRecord>(key)?.timer.status !== 'pending') return false;
    return this.db.write((tx) => {
      const record = tx.get<TimerRecord>(key);
      if (record?.timer.status !== 'pending') return false;
      const settledAt = status === 'answered' ? { answeredAt: at.toISOString() } : { firedAt: at.toISOString() };
      tx.put(key, { ...record, timer: { ...record.timer, status, ...settledAt } } satisfies TimerRecord);
      tx.remove(dueKey(record));
      for (const conversation of record.timer.conversations) tx.remove(`${conversationPrefix(conversation)}${encodeURIComponent(id)}`);
      tx.afterCommit((committed) => {
        if (committed) for (const conversation of record.timer.conversations) this.pending.remove(conversation, id);
      });
      return true;
    });
  }

  async sweptThrough(): Promise<number | undefined> {
    return this.db.get<{ minute: number }>(SWEPT_KEY)?.minute;
  }

  async setSweptThrough(minute: number): Promise<void> {
    // Never moves backwards: a slow sweep finishing after a newer one leaves the newer mark.
    const isNewer = (mark: { minute: number } | undefined) => mark === undefined || mark.minute < minute;
    if (!isNewer(this.db.get(SWEPT_KEY))) return;
    await this.db.write((tx) => {
      if (isNewer(tx.get(SWEPT_KEY))) tx.put(SWEPT_KEY, { minute });
    });
  }

  /** The pending timers an index prefix lists (settled ones have left every index; the check is a guard). */
  private pendingListed(prefix: string): SlaTimer[] {
    return this.db
      .range<string>({ prefix })
      .map(({ value: id }) => this.live(id))
      .filter((timer): timer is SlaTimer => timer?.status === 'pending');
  }
}

function timerExpiry(record: TimerRecord): Expiry {
  const key = timerKey(record.timer.id);
  return {
    at: expiresAfter(record.timer.dueAt, TIMER_RETENTION_DAYS),
    key,
    keys: [
      key,
      dueKey(record),
      ...record.timer.conversations.map((conversation) => `${conversationPrefix(conversation)}${encodeURIComponent(record.timer.id)}`),
    ],
  };
}

const TIMER_KIND: RetainedKind = {
  name: 'timers',
  prefix: 'crisis/timer/',
  expiryOf: (_key, value) => {
    const record = value as Partial<TimerRecord> | undefined;
    return record?.timer?.id && record.timer.dueAt && typeof record.minute === 'number' ? timerExpiry(record as TimerRecord) : undefined;
  },
};
