import { type AttributeValue, type DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  bucketId,
  bucketParts,
  COUNT_FIELDS,
  emptyBucket,
  firstResponse,
  histogramBin,
  hoursBetween,
  mergeDeltas,
  ownerAnswering,
  ownerOf,
  RESPONSE_TIMES_PER_BUCKET,
} from '../../analytics/figures.js';
import {
  type AnalyticsBucket,
  type AnalyticsDelta,
  type AnalyticsStore,
  CLOCK_RETENTION_MS,
  type ClockStart,
  type ClockStop,
  type OwnerNote,
  type SpikeMark,
} from '../../analytics/ports.js';
import type { Contribution, OnceAnalyticsStore } from '../../analytics/stream-folding.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { TABLE_KEYS } from './table.js';

/**
 * Response-time analytics in Foghorn's table.
 * - A bucket is `ANALYTICS#<day>` / `<hour>#<platform>#<channel>#<lang>` (parts URI-encoded; `#<person>#<team>` after
 *   them for first responses an owner gave): its counts, its
 *   histogram bins (`rt#<bin>`) and rule hits (`hit#<rule>`) are top-level numbers added with one `ADD` per bucket
 *   and batch (`add` merges a batch's deltas first), its spike marks a list. No read.
 * - Its exact times are apart, in `ANALYTICSRT#<day>` / the same sort key: a list appended to while it has room (a
 *   conditional append, refused once full), so that the counts' item stays small however busy the hour: every update
 *   of an item costs its whole size, and a full list of times is about 10 KB. Buckets written before kept their times
 *   in the counts' item; a read joins both.
 * Each item's once-only mark (`seq#<stream>`) is its own, so either write can be retried alone.
 * - A conversation's clock is `ACLOCK#<conversation>` / `CLOCK`: started and stopped with conditional updates, so
 *   concurrent evaluators start one clock and exactly one answer stops it (the stop returns the old item, with the
 *   owner an assignment noted there: `ownerPerson`, `ownerTeam`, `ownerSince`, kept across stops).
 * Buckets are kept a year and a month, clocks CLOCK_RETENTION_MS after their last change (`ttl`).
 */
export class DynamoAnalyticsStore implements AnalyticsStore, OnceAnalyticsStore {
  readonly recordedFromStream: boolean;
  private readonly timesHeld = new TimesHeld();

  /** `recordedFromStream`: the table's stream feeds the analytics function (AWS), so the pipeline records nothing. */
  constructor(private readonly options: { client: DynamoDBClient; tableName: string; recordedFromStream?: boolean }) {
    if (!options?.tableName) throw new Error('DynamoAnalyticsStore: tableName is required');
    this.recordedFromStream = options.recordedFromStream === true;
  }

  /**
   * Each bucket the contributions touch gets ONE update: their deltas merged, and the stream's mark in the bucket
   * (`seq#<stream>`, the last position it applied from that stream) moved on, on the condition that it is still
   * below the first position added. A refusal returns the bucket (ALL_OLD): the positions it already has are dropped
   * and the rest sent again. A replayed batch so never counts twice, and the marks stay as few as the shards that
   * wrote in the bucket's hour. Returns the first position whose figures may be missing, after a failed write.
   */
  async addOnce(stream: string, contributions: readonly Contribution[]): Promise<string | undefined> {
    const byBucket = new Map<string, Array<{ position: string; delta: AnalyticsDelta }>>();
    for (const { position, deltas } of contributions) {
      for (const delta of deltas) {
        const id = bucketId(delta);
        let parts = byBucket.get(id);
        if (!parts) byBucket.set(id, (parts = []));
        parts.push({ position: paddedPosition(position), delta });
      }
    }
    const failed = await Promise.all(
      [...byBucket.values()].map(async (parts) => {
        try {
          await this.addToBucketOnce(stream, parts);
          return undefined;
        } catch {
          return parts[0]?.position;
        }
      }),
    );
    const first = failed.filter((position): position is string => position !== undefined).sort()[0];
    return first === undefined ? undefined : unpaddedPosition(first);
  }

  /** The counts once, then the exact times once (each item keeps its own mark, so a retry redoes only what is missing). */
  private async addToBucketOnce(stream: string, parts: ReadonlyArray<{ position: string; delta: AnalyticsDelta }>): Promise<void> {
    await this.onceInto(stream, parts, (delta, mark) => update(this.options.tableName, delta, mark));
    const timed = parts.filter((part) => (part.delta.responseMs?.length ?? 0) > 0);
    if (timed.length > 0) await this.appendTimesOnce(stream, timed);
  }

  /**
   * One item's once-only write: a refusal's item (ALL_OLD) says which positions it has, and the rest is sent again,
   * unless `goOn` (told the refusing item and what is left) says there is no point.
   */
  private async onceInto(
    stream: string,
    parts: ReadonlyArray<{ position: string; delta: AnalyticsDelta }>,
    command: (delta: AnalyticsDelta, mark: OnceMark) => UpdateItemCommand,
    goOn: (held: BucketItem | undefined, remaining: ReadonlyArray<{ delta: AnalyticsDelta }>) => boolean = () => true,
  ): Promise<void> {
    let remaining = [...parts];
    for (let attempt = 1; remaining.length > 0; attempt++) {
      const [delta] = mergeDeltas(remaining.map((part) => part.delta));
      if (!delta) return;
      const mark = { name: `seq#${stream}`, first: remaining[0]!.position, last: remaining[remaining.length - 1]!.position };
      try {
        await this.options.client.send(command(delta, mark));
        return;
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= MAX_ONCE_ATTEMPTS) throw error;
        const held = fromItem<BucketItem>((error as { Item?: Record<string, AttributeValue> }).Item);
        const applied = typeof held?.[mark.name] === 'string' ? (held[mark.name] as string) : '';
        remaining = remaining.filter((part) => part.position > applied);
        if (remaining.length > 0 && !goOn(held, remaining)) return;
      }
    }
  }

  /** A bucket's exact times appended once while they fit; once its list is known full, not tried again in this container. */
  private async appendTimesOnce(stream: string, parts: ReadonlyArray<{ position: string; delta: AnalyticsDelta }>): Promise<void> {
    const id = bucketId(parts[0]!.delta);
    if (!this.timesHeld.room(id, timesOf(parts))) return;
    // A list too full for what is left refuses it for good: the histogram holds those times.
    await this.onceInto(
      stream,
      parts,
      (delta, mark) => appendTimes(this.options.tableName, delta, mark),
      (held, remaining) => {
        this.timesHeld.remember(id, held?.responseMs?.length ?? 0);
        return this.timesHeld.room(id, timesOf(remaining));
      },
    );
  }

  async add(deltas: readonly AnalyticsDelta[]): Promise<void> {
    await Promise.all(mergeDeltas(deltas).map((delta) => this.addOne(delta)));
  }

  async startClock(start: ClockStart): Promise<void> {
    await this.options.client
      .send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: clockKey(start.conversation),
          UpdateExpression:
            'SET #opened = :at, #message = :message, #platform = :platform, #channel = :channel, #lang = :lang, #ttl = :ttl',
          // Not running, and not answered at or after the message; or a record that has expired (TTL deletes late).
          ConditionExpression:
            '(attribute_not_exists(#opened) AND (attribute_not_exists(#answered) OR #answered < :at)) OR #ttl <= :atSeconds',
          ExpressionAttributeNames: CLOCK_NAMES,
          ExpressionAttributeValues: toItem({
            ':at': start.at,
            ':message': start.messageId,
            ':platform': start.platform,
            ':channel': start.channel,
            ':lang': start.lang,
            ':ttl': ttlOf(start.at),
            ':atSeconds': Math.floor(start.at / 1000),
          }),
        }),
      )
      .catch(ignoreConditionFailure);
  }

  async stopClocks(stop: ClockStop): Promise<AnalyticsDelta[]> {
    const stopped = await Promise.all(
      [...new Set(stop.conversations)].map(async (conversation) => {
        const answer = await this.options.client
          .send(
            new UpdateItemCommand({
              TableName: this.options.tableName,
              Key: clockKey(conversation),
              // With a source, the clock it stopped is kept beside the answer (copied in the same write), so the same
              // source stopping it again (a replayed change) measures it again. The owner noted stays.
              UpdateExpression: [
                `SET #answered = :at, #ttl = :ttl${stop.source === undefined ? '' : `, ${STOPPED_SET}`}`,
                'REMOVE #opened, #message, #platform, #channel, #lang',
              ].join(' '),
              // A running clock that started no later than the answer; or none running and no later answer noted.
              ConditionExpression:
                '#opened <= :at OR (attribute_not_exists(#opened) AND (attribute_not_exists(#answered) OR #answered < :at))',
              ExpressionAttributeNames: stop.source === undefined ? CLOCK_NAMES : { ...CLOCK_NAMES, ...STOPPED_NAMES },
              ExpressionAttributeValues: toItem({
                ':at': stop.at,
                ':ttl': ttlOf(stop.at),
                ...(stop.source === undefined ? {} : { ':source': stop.source, ':none': -1, ':blank': '' }),
              }),
              ReturnValues: 'ALL_OLD',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          )
          .then((updated) => ({ old: fromItem<ClockItem>(updated.Attributes), replay: false }))
          .catch((error: unknown) => {
            if (!isConditionFailure(error)) throw error;
            return { old: fromItem<ClockItem>((error as { Item?: Record<string, AttributeValue> }).Item), replay: true };
          });
        const { old, replay } = answer;
        const expired = old?.ttl !== undefined && old.ttl * 1000 <= stop.at;
        const owner =
          old?.ownerSince === undefined || expired
            ? undefined
            : { ...ownerOf({ person: old.ownerPerson, team: old.ownerTeam }), since: old.ownerSince };
        if (replay) {
          // Refused: only this very source stopping the clock before (a replayed change) measures it again, for the
          // owner noted when it did.
          const stoppedBefore = stop.source !== undefined && old?.stoppedBy === stop.source && old.answeredAt === stop.at;
          if (!stoppedBefore) return { owner };
          const ownerThen =
            old.stoppedOwnerSince === undefined || old.stoppedOwnerSince < 0
              ? undefined
              : { ...ownerOf({ person: old.stoppedOwnerPerson, team: old.stoppedOwnerTeam }), since: old.stoppedOwnerSince };
          if (old.stoppedOpenedAt === undefined || old.stoppedOpenedAt < 0) return { owner: ownerThen };
          const clock: ClockStart = {
            conversation,
            messageId: old.stoppedMessageId ?? '',
            at: old.stoppedOpenedAt,
            platform: old.stoppedPlatform ?? '',
            channel: old.stoppedChannel ?? '',
            lang: old.stoppedLang ?? '',
          };
          return { clock, owner: ownerThen };
        }
        if (old?.openedAt === undefined || expired) return { owner };
        const clock: ClockStart = {
          conversation,
          messageId: old.messageId ?? '',
          at: old.openedAt,
          platform: old.platform ?? '',
          channel: old.channel ?? '',
          lang: old.lang ?? '',
        };
        return { clock, owner };
      }),
    );
    const owner = ownerAnswering(stopped.map((one) => one.owner));
    return stopped.flatMap(({ clock }) => (clock ? [firstResponse(clock, stop, owner)] : []));
  }

  async ownerChanged(note: OwnerNote): Promise<void> {
    const sets = ['#ownerSince = :since', '#ttl = if_not_exists(#ttl, :ttl)'];
    const removes: string[] = [];
    const values: Record<string, unknown> = { ':since': note.since, ':ttl': ttlOf(note.since) };
    for (const [name, value] of [
      ['#ownerPerson', note.person],
      ['#ownerTeam', note.team],
    ] as const) {
      if (value) {
        sets.push(`${name} = ${name.replace('#', ':')}`);
        values[name.replace('#', ':')] = value;
      } else removes.push(name);
    }
    await this.options.client
      .send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: clockKey(note.conversation),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          // A replayed older assignment never takes the conversation back from a newer one.
          ConditionExpression: 'attribute_not_exists(#ownerSince) OR #ownerSince <= :since',
          ExpressionAttributeNames: OWNER_NAMES,
          ExpressionAttributeValues: toItem(values),
        }),
      )
      .catch(ignoreConditionFailure);
  }

  async read(from: Date, to: Date): Promise<AnalyticsBucket[]> {
    const hours = new Set(hoursBetween(from, to));
    const days = [...new Set([...hours].map((hour) => hour.slice(0, 10)))];
    const [counts, times] = await Promise.all(
      [BUCKET_PREFIX, TIMES_PREFIX].map(async (prefix) => (await Promise.all(days.map((day) => this.queryDay(prefix, day)))).flat()),
    );
    const timesOf = new Map(times!.map((item) => [`${item.pk}\u0000${item.sk}`.slice(TIMES_PREFIX.length), item.responseMs ?? []]));
    return counts!
      .filter((item) => hours.has(item.hour))
      .map((item) => bucketOf(item, timesOf.get(`${item.pk}\u0000${item.sk}`.slice(BUCKET_PREFIX.length)) ?? []));
  }

  private async queryDay(prefix: string, day: string): Promise<BucketItem[]> {
    const items: BucketItem[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: toItem({ ':pk': `${prefix}${day}` }),
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const parsed = fromItem<BucketItem>(item);
        if (parsed) items.push(parsed);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async addOne(delta: AnalyticsDelta): Promise<void> {
    await this.options.client.send(update(this.options.tableName, delta));
    const times = delta.responseMs ?? [];
    if (times.length === 0 || times.length > RESPONSE_TIMES_PER_BUCKET) return;
    // The bucket holds as many exact times as it keeps: the counts and the histogram went in all the same.
    await this.options.client.send(appendTimes(this.options.tableName, delta)).catch(ignoreConditionFailure);
  }
}

/** What this container learnt of buckets' lists of exact times (from refusals): how many each holds, the latest first. */
class TimesHeld {
  readonly #held = new Map<string, number>();

  remember(id: string, count: number): void {
    this.#held.delete(id);
    this.#held.set(id, count);
    if (this.#held.size > TIMES_HELD_KNOWN) this.#held.delete(this.#held.keys().next().value as string);
  }

  /** Whether `times` more may fit, as far as this container knows. */
  room(id: string, times: number): boolean {
    return times <= RESPONSE_TIMES_PER_BUCKET - (this.#held.get(id) ?? 0);
  }
}

/** Buckets whose count of exact times a container remembers (an hour's buckets are far fewer). */
const TIMES_HELD_KNOWN = 4_096;

interface OnceMark {
  name: string;
  first: string;
  last: string;
}

function timesOf(parts: ReadonlyArray<{ delta: AnalyticsDelta }>): number {
  return parts.reduce((sum, part) => sum + (part.delta.responseMs?.length ?? 0), 0);
}

const BUCKET_PREFIX = 'ANALYTICS#';
/** A bucket's exact first-response times, apart from its counts (same day, same sort key). */
const TIMES_PREFIX = 'ANALYTICSRT#';
/** Buckets outlive the longest range the API reads (three months) by far: a year and a month. */
const BUCKET_RETENTION_SECONDS = 400 * 24 * 3600;

const CLOCK_NAMES = {
  '#opened': 'openedAt',
  '#answered': 'answeredAt',
  '#message': 'messageId',
  '#platform': 'platform',
  '#channel': 'channel',
  '#lang': 'lang',
  '#ttl': TABLE_KEYS.ttl,
};

const OWNER_NAMES = {
  '#ownerSince': 'ownerSince',
  '#ownerPerson': 'ownerPerson',
  '#ownerTeam': 'ownerTeam',
  '#ttl': TABLE_KEYS.ttl,
};

interface BucketItem {
  pk: string;
  sk: string;
  hour: string;
  platform: string;
  channel: string;
  lang: string;
  person?: string;
  team?: string;
  responseMs?: number[];
  spikes?: SpikeMark[];
  [attribute: string]: unknown;
}

/** The stopped clock's fields, copied from the running ones by the stop that has a source (-1: none was running). */
const STOPPED_SET = [
  '#stoppedBy = :source',
  '#sOpened = if_not_exists(#opened, :none)',
  '#sMessage = if_not_exists(#message, :blank)',
  '#sPlatform = if_not_exists(#platform, :blank)',
  '#sChannel = if_not_exists(#channel, :blank)',
  '#sLang = if_not_exists(#lang, :blank)',
  // The owner at the stop, so that a replay counts for the owner it counted for, whoever owns the conversation now.
  '#sOwnerPerson = if_not_exists(#ownerPerson, :blank)',
  '#sOwnerTeam = if_not_exists(#ownerTeam, :blank)',
  '#sOwnerSince = if_not_exists(#ownerSince, :none)',
].join(', ');

const STOPPED_NAMES = {
  '#stoppedBy': 'stoppedBy',
  '#sOpened': 'stoppedOpenedAt',
  '#sMessage': 'stoppedMessageId',
  '#sPlatform': 'stoppedPlatform',
  '#sChannel': 'stoppedChannel',
  '#sLang': 'stoppedLang',
  '#sOwnerPerson': 'stoppedOwnerPerson',
  '#sOwnerTeam': 'stoppedOwnerTeam',
  '#sOwnerSince': 'stoppedOwnerSince',
  '#ownerPerson': 'ownerPerson',
  '#ownerTeam': 'ownerTeam',
  '#ownerSince': 'ownerSince',
};

/** Tries of one bucket's once-only update: each refusal drops what the bucket already has, or a full list of times. */
const MAX_ONCE_ATTEMPTS = 4;

/** Stream positions (decimal sequence numbers of up to 40 digits) padded, so that they compare as strings. */
function paddedPosition(position: string): string {
  return position.padStart(40, '0');
}

function unpaddedPosition(position: string): string {
  return position.replace(/^0+(?=\d)/, '');
}

interface ClockItem {
  stoppedBy?: string;
  stoppedOpenedAt?: number;
  stoppedMessageId?: string;
  stoppedPlatform?: string;
  stoppedChannel?: string;
  stoppedLang?: string;
  stoppedOwnerPerson?: string;
  stoppedOwnerTeam?: string;
  stoppedOwnerSince?: number;
  openedAt?: number;
  answeredAt?: number;
  messageId?: string;
  platform?: string;
  channel?: string;
  lang?: string;
  ownerSince?: number;
  ownerPerson?: string;
  ownerTeam?: string;
  ttl?: number;
}

function clockKey(conversation: string) {
  return toItem({ pk: `ACLOCK#${conversation}`, sk: 'CLOCK' });
}

function ttlOf(at: number): number {
  return Math.ceil((at + CLOCK_RETENTION_MS) / 1000);
}

function ignoreConditionFailure(error: unknown): undefined {
  if (isConditionFailure(error)) return undefined;
  throw error;
}

/** One bucket's update: ADD its counts, bins and hits; SET its dimensions; append its spike marks; move its stream's mark. */
function update(tableName: string, delta: AnalyticsDelta, mark?: OnceMark): UpdateItemCommand {
  const names: Record<string, string> = {
    '#hour': 'hour',
    '#platform': 'platform',
    '#channel': 'channel',
    '#lang': 'lang',
    '#ttl': TABLE_KEYS.ttl,
  };
  const values: Record<string, unknown> = {
    ':hour': delta.hour,
    ':platform': delta.platform,
    ':channel': delta.channel,
    ':lang': delta.lang,
    ':ttl': Math.floor(Date.parse(delta.hour) / 1000) + BUCKET_RETENTION_SECONDS,
  };
  const adds: string[] = [];
  const add = (attribute: string, amount: number) => {
    if (amount === 0) return;
    const n = adds.length;
    names[`#a${n}`] = attribute;
    values[`:a${n}`] = amount;
    adds.push(`#a${n} :a${n}`);
  };
  for (const field of COUNT_FIELDS) add(field, delta[field] ?? 0);
  const bins = new Map<number, number>();
  for (const ms of delta.responseMs ?? []) bins.set(histogramBin(ms), (bins.get(histogramBin(ms)) ?? 0) + 1);
  for (const [bin, n] of bins) add(`rt#${bin}`, n);
  for (const [rule, hits] of Object.entries(delta.ruleHits ?? {})) add(`hit#${rule}`, hits);

  const sets = ['#hour = :hour', '#platform = :platform', '#channel = :channel', '#lang = :lang', '#ttl = :ttl'];
  for (const [attribute, value] of Object.entries(ownerOf(delta))) {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    sets.push(`#${attribute} = :${attribute}`);
  }
  const conditions: string[] = [];
  markOnce(mark, names, values, sets, conditions);
  const condition = conditions.length > 0 ? conditions.join(' AND ') : undefined;
  if (delta.spikes && delta.spikes.length > 0) {
    names['#spikes'] = 'spikes';
    values[':spikes'] = delta.spikes;
    values[':empty'] = [];
    sets.push('#spikes = list_append(if_not_exists(#spikes, :empty), :spikes)');
  }
  return new UpdateItemCommand({
    TableName: tableName,
    Key: bucketKey(BUCKET_PREFIX, delta),
    UpdateExpression: `SET ${sets.join(', ')}${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
    ...(condition ? { ConditionExpression: condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: toItem(values),
  });
}

/** A bucket's exact times appended to its list apart, on the condition that they fit (and, with a mark, once). */
function appendTimes(tableName: string, delta: AnalyticsDelta, mark?: OnceMark): UpdateItemCommand {
  const times = delta.responseMs ?? [];
  const names: Record<string, string> = { '#times': 'responseMs', '#ttl': TABLE_KEYS.ttl };
  const values: Record<string, unknown> = {
    ':times': times,
    ':empty': [],
    ':room': RESPONSE_TIMES_PER_BUCKET - times.length,
    ':ttl': Math.floor(Date.parse(delta.hour) / 1000) + BUCKET_RETENTION_SECONDS,
  };
  const sets = ['#times = list_append(if_not_exists(#times, :empty), :times)', '#ttl = :ttl'];
  const conditions = ['(attribute_not_exists(#times) OR size(#times) <= :room)'];
  markOnce(mark, names, values, sets, conditions);
  return new UpdateItemCommand({
    TableName: tableName,
    Key: bucketKey(TIMES_PREFIX, delta),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: conditions.join(' AND '),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: toItem(values),
  });
}

/** The stream's mark moved on, on the condition that the item has none of these positions yet. */
function markOnce(
  mark: OnceMark | undefined,
  names: Record<string, string>,
  values: Record<string, unknown>,
  sets: string[],
  conditions: string[],
): void {
  if (!mark) return;
  names['#mark'] = mark.name;
  values[':first'] = mark.first;
  values[':last'] = mark.last;
  sets.push('#mark = :last');
  conditions.push('(attribute_not_exists(#mark) OR #mark < :first)');
}

function bucketKey(prefix: string, delta: AnalyticsDelta) {
  return toItem({ pk: `${prefix}${delta.hour.slice(0, 10)}`, sk: bucketParts(delta).map(encodeURIComponent).join('#') });
}

/** A bucket read back: its counts' item, and the exact times kept apart (`times`) after any the item held itself. */
function bucketOf(item: BucketItem, times: readonly number[]): AnalyticsBucket {
  const bucket = emptyBucket(item);
  for (const field of COUNT_FIELDS) bucket[field] = typeof item[field] === 'number' ? (item[field] as number) : 0;
  bucket.responseMs = [...(item.responseMs ?? []), ...times];
  bucket.spikes = item.spikes ?? [];
  for (const [attribute, value] of Object.entries(item)) {
    if (typeof value !== 'number') continue;
    if (attribute.startsWith('rt#')) bucket.histogram[attribute.slice(3)] = value;
    else if (attribute.startsWith('hit#')) bucket.ruleHits[attribute.slice(4)] = value;
  }
  return bucket;
}
