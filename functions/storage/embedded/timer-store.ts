import type { SlaTimer, TimerStore } from '../../crisis/ports.js';
import { filingMinute } from '../../crisis/sla-timer.js';
import type { EmbeddedDatabase } from './database.js';

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

function conversationPrefix(conversation: string): string {
  return `crisis/timer-conv/${encodeURIComponent(conversation)}/`;
}

/**
 * SLA timers (`crisis/timer/<id>`). A pending timer is listed under its filing minute
 * (`crisis/timer-due/<epoch minute>/…`), so the sweep reads only the minutes since it last ran, and under
 * each of its conversations (`crisis/timer-conv/<conversation>/<id>`), so an answer finds it. Putting and
 * settling are one transaction each, index entries included: settling removes them, and a timer settles once.
 */
export class EmbeddedTimerStore implements TimerStore {
  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedTimerStore: an EmbeddedDatabase is required');
  }

  async put(timer: SlaTimer, now: Date): Promise<boolean> {
    const key = timerKey(timer.id);
    if (this.db.get(key) !== undefined) return false;
    const record: TimerRecord = { timer, minute: filingMinute(timer, now) };
    return this.db.write((tx) => {
      if (tx.get(key) !== undefined) return false;
      tx.put(key, record);
      if (timer.status === 'pending') {
        tx.put(dueKey(record), timer.id);
        for (const conversation of timer.conversations)
          tx.put(`${conversationPrefix(conversation)}${encodeURIComponent(timer.id)}`, timer.id);
      }
      return true;
    });
  }

  async get(id: string): Promise<SlaTimer | undefined> {
    return this.db.get<TimerRecord>(timerKey(id))?.timer;
  }

  async pendingInMinutes(minutes: readonly number[]): Promise<SlaTimer[]> {
    return minutes.flatMap((minute) => this.pendingListed(duePrefix(minute)));
  }

  async pendingInConversation(conversation: string): Promise<SlaTimer[]> {
    return this.pendingListed(conversationPrefix(conversation));
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
      .map(({ value: id }) => this.db.get<TimerRecord>(timerKey(id))?.timer)
      .filter((timer): timer is SlaTimer => timer?.status === 'pending');
  }
}
