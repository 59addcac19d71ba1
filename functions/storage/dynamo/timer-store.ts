import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type Update,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DAY_SECONDS } from '../../core/retention.js';
import type { SlaTimer, TimerStore } from '../../crisis/ports.js';
import { TIMER_RETENTION_DAYS } from '../../crisis/retention.js';
import { filingMinute } from '../../crisis/sla-timer.js';
import { queryIndexPartition } from './index-query.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { expiresIn, TABLE_KEYS } from './table.js';

/** Settled timers and conversation entries are kept this long for inspection, then expire. */
const RETENTION_SECONDS = TIMER_RETENTION_DAYS * DAY_SECONDS;
const SWEEP_KEY = { pk: 'SLASWEEP', sk: 'STATE' };

/**
 * gsi1 partitions per due minute. A storm's 100,000 timers due in one minute are 1,667 puts/s into that minute's
 * index, and as many removals when they settle; a typical pending timer item is about 3 KB (mostly its event copy;
 * a long post makes it larger), so each put and each removal costs about 3 GSI WRU: 2 x 1,667 x 3 = 10,000 WRU/s at worst, when a minute
 * is filed and swept at once. 16 shards hold about 625 WRU/s each, under the 1,000 WRU/s a partition takes, with room
 * for the hash's unevenness and larger items; the sweep reads a minute's 16 (plus the unsharded key) at once.
 */
export const DUE_INDEX_SHARDS = 16;

/** The gsi1 partition of a pending timer: its filing minute and its id's shard (`SLADUE#<minute>#<shard>`). */
export function dueIndexKey(minute: number, timerId: string): string {
  return `SLADUE#${minute}#${dueShard(timerId)}`;
}

/** The minute a due-index key files under, or undefined when `key` is not one (sharded or not). */
export function dueIndexMinute(key: string): number | undefined {
  const match = /^SLADUE#(\d+)(?:#\d+)?$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** Every gsi1 partition of one minute: its shards, and the one key timers filed before sharding sit under. */
function dueIndexKeys(minute: number): string[] {
  return [`SLADUE#${minute}`, ...Array.from({ length: DUE_INDEX_SHARDS }, (_, shard) => `SLADUE#${minute}#${shard}`)];
}

/** FNV-1a of the id, so a timer's shard is fixed by its id alone (a re-put lands where the first did). */
function dueShard(timerId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < timerId.length; i++) {
    hash ^= timerId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % DUE_INDEX_SHARDS;
}

/** Pending timers checked for answers at once while a minute is listed (a storm minute holds 100,000). */
const ANSWER_CHECKS_AT_ONCE = 32;

/** The sort key of a conversation's answers, beside its timers' entries (after them: timer ids start `sla_`). */
const ANSWERS_SK = '~ANSWERS';

/**
 * A reply's answer in a conversation, as an Update of the completion's transaction: its time added to the
 * conversation's set of answer times (`SLACONV#<conversation>` / `~ANSWERS`). Unconditional and commutative, so
 * concurrent replies never refuse each other's completion; kept TIMER_RETENTION_DAYS after the last answer.
 */
export function conversationAnswer(conversation: string, at: number): Omit<Update, 'TableName'> {
  return {
    Key: toItem({ pk: `SLACONV#${conversation}`, sk: ANSWERS_SK }),
    UpdateExpression: 'ADD #answers :at SET #ttl = :ttl',
    ExpressionAttributeNames: { '#answers': 'answers', '#ttl': TABLE_KEYS.ttl },
    ExpressionAttributeValues: { ':at': { NS: [String(at)] }, ':ttl': { N: String(expiresIn(new Date(at), RETENTION_SECONDS)) } },
  };
}

/**
 * SLA timers (`SLA#<id>` / `TIMER`). A pending timer sits in gsi1 under its due minute and a shard of its id
 * (`SLADUE#<epoch minute>#<shard>`, DUE_INDEX_SHARDS per minute), a sparse, time-indexed key: the sweep reads
 * only the minutes since it last ran, each minute's shards in parallel, and settling removes the timer from the index. `SLACONV#<conversation>` / `<timer id>`
 * entries let an answer find the timers waiting in its conversation.
 *
 * A reply's answer comes with its completion (`answeredByCompletion`: the `~ANSWERS` item beside the entries,
 * conversationAnswer), so sending a reply reads nothing here. A timer whose message an answer came at or after is
 * no longer listed as waiting in its conversation, and the sweep settles it answered when it comes due instead of
 * firing it: no timer fires for a message a reply answered.
 */
export class DynamoTimerStore implements TimerStore {
  readonly answeredByCompletion = true;

  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    if (!options.tableName) throw new Error('DynamoTimerStore: tableName is required');
  }

  async put(timer: SlaTimer, now: Date): Promise<boolean> {
    const ttl = expiresIn(new Date(timer.dueAt), RETENTION_SECONDS);
    // Conversation entries first: a retry after a crash re-puts them, and the timer is never unfindable.
    for (const conversation of timer.conversations) {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toItem({ pk: `SLACONV#${conversation}`, sk: timer.id, timerId: timer.id, [TABLE_KEYS.ttl]: ttl }),
        }),
      );
    }
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toItem({
            ...timer,
            pk: `SLA#${timer.id}`,
            sk: 'TIMER',
            [TABLE_KEYS.ttl]: ttl,
            [TABLE_KEYS.gsi1.partitionKey]: dueIndexKey(filingMinute(timer, now), timer.id),
            [TABLE_KEYS.gsi1.sortKey]: `${timer.dueAt}#${timer.id}`,
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<SlaTimer | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: timerKey(id), ConsistentRead: true }),
    );
    return strip(fromItem<SlaTimer & Record<string, unknown>>(Item));
  }

  async pendingInMinutes(minutes: readonly number[]): Promise<SlaTimer[]> {
    const timers: SlaTimer[] = [];
    const answers = new Map<string, Promise<number[]>>();
    const answersIn = (conversation: string) => {
      let found = answers.get(conversation);
      if (!found) {
        found = this.answersIn(conversation);
        answers.set(conversation, found);
      }
      return found;
    };
    const check = async (timer: SlaTimer): Promise<void> => {
      const answered = answeredAt(timer, (await Promise.all(timer.conversations.map(answersIn))).flat());
      if (answered === undefined) timers.push(timer);
      else await this.settle(timer.id, 'answered', answered);
    };
    for (const minute of minutes) {
      const shards = await Promise.all(
        dueIndexKeys(minute).map((key) =>
          queryIndexPartition<SlaTimer & Record<string, unknown>>(this.options.client, this.options.tableName, key),
        ),
      );
      const pending = shards
        .flat()
        .map(strip)
        .filter((timer): timer is SlaTimer => timer?.status === 'pending');
      let next = 0;
      const worker = async () => {
        while (next < pending.length) await check(pending[next++] as SlaTimer);
      };
      await Promise.all(Array.from({ length: Math.min(ANSWER_CHECKS_AT_ONCE, pending.length) }, worker));
    }
    // In due order, as one unsharded partition listed them (shards and parallel checks mix the order).
    timers.sort((a, b) => (a.dueAt === b.dueAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.dueAt < b.dueAt ? -1 : 1));
    return timers;
  }

  async pendingInConversation(conversation: string): Promise<SlaTimer[]> {
    const { Items } = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: toItem({ ':pk': `SLACONV#${conversation}` }),
        ConsistentRead: true,
      }),
    );
    const entries = (Items ?? []).map((item) => fromItem<{ sk: string; timerId?: string; answers?: Set<number> }>(item)!);
    const answers = [...(entries.find((entry) => entry.sk === ANSWERS_SK)?.answers ?? [])];
    const timers: SlaTimer[] = [];
    for (const entry of entries) {
      if (entry.timerId === undefined) continue;
      const timer = await this.get(entry.timerId);
      if (timer?.status !== 'pending') continue;
      // Answered here: not waiting any more (the sweep settles it when it comes due; a look writes nothing).
      if (answeredAt(timer, answers) === undefined) timers.push(timer);
    }
    return timers;
  }

  /** The times replies answered `conversation` (completion-noted), oldest first. */
  private async answersIn(conversation: string): Promise<number[]> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: toItem({ pk: `SLACONV#${conversation}`, sk: ANSWERS_SK }),
        ConsistentRead: true,
      }),
    );
    return [...(fromItem<{ answers?: Set<number> }>(Item)?.answers ?? [])];
  }

  async settle(id: string, status: 'answered' | 'fired', at: Date): Promise<boolean> {
    let settled: SlaTimer | undefined;
    try {
      const { Attributes } = await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: timerKey(id),
          ConditionExpression: '#status = :pending',
          UpdateExpression: `SET #status = :status, ${status === 'answered' ? 'answeredAt' : 'firedAt'} = :at REMOVE #gpk, #gsk`,
          ExpressionAttributeNames: { '#status': 'status', '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
          ExpressionAttributeValues: toItem({ ':pending': 'pending', ':status': status, ':at': at.toISOString() }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      settled = strip(fromItem<SlaTimer & Record<string, unknown>>(Attributes));
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    for (const conversation of settled?.conversations ?? []) {
      await this.options.client.send(
        new DeleteItemCommand({ TableName: this.options.tableName, Key: toItem({ pk: `SLACONV#${conversation}`, sk: id }) }),
      );
    }
    return true;
  }

  async sweptThrough(): Promise<number | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: toItem(SWEEP_KEY), ConsistentRead: true }),
    );
    return fromItem<{ minute: number }>(Item)?.minute;
  }

  async setSweptThrough(minute: number): Promise<void> {
    // Never moves backwards: a slow sweep finishing after a newer one leaves the newer mark.
    await this.options.client
      .send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toItem({ ...SWEEP_KEY, minute }),
          ConditionExpression: 'attribute_not_exists(pk) OR #minute < :minute',
          ExpressionAttributeNames: { '#minute': 'minute' },
          ExpressionAttributeValues: toItem({ ':minute': minute }),
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
}

function timerKey(id: string) {
  return toItem({ pk: `SLA#${id}`, sk: 'TIMER' });
}

function strip(item: (SlaTimer & Record<string, unknown>) | undefined): SlaTimer | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _gpk, gsi1sk: _gsk, ttl: _ttl, ...timer } = item;
  return timer as SlaTimer;
}

/** When a reply first answered the timer's message (written no later than the answer); undefined when none did. */
function answeredAt(timer: SlaTimer, answers: readonly number[]): Date | undefined {
  const written = Date.parse(timer.event.createdAt);
  const first = Math.min(...answers.filter((at) => at >= written));
  return Number.isFinite(first) ? new Date(first) : undefined;
}
