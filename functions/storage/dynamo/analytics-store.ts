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
 *   and batch (`add` merges a batch's deltas first), its exact times a list appended to while it has room (a
 *   conditional append; a full bucket's update is sent again without it), its spike marks a list. No read.
 * - A conversation's clock is `ACLOCK#<conversation>` / `CLOCK`: started and stopped with conditional updates, so
 *   concurrent evaluators start one clock and exactly one answer stops it (the stop returns the old item, with the
 *   owner an assignment noted there: `ownerPerson`, `ownerTeam`, `ownerSince`, kept across stops).
 * Buckets are kept a year and a month, clocks CLOCK_RETENTION_MS after their last change (`ttl`).
 */
export class DynamoAnalyticsStore implements AnalyticsStore, OnceAnalyticsStore {
  readonly recordedFromStream: boolean;

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

  private async addToBucketOnce(stream: string, parts: ReadonlyArray<{ position: string; delta: AnalyticsDelta }>): Promise<void> {
    let remaining = [...parts];
    let timesHeld: number | undefined;
    for (let attempt = 1; remaining.length > 0; attempt++) {
      const [delta] = mergeDeltas(remaining.map((part) => part.delta));
      if (!delta) return;
      const times = delta.responseMs?.length ?? 0;
      const append =
        times > 0 && (timesHeld === undefined ? times <= RESPONSE_TIMES_PER_BUCKET : timesHeld + times <= RESPONSE_TIMES_PER_BUCKET);
      const mark = {
        name: `seq#${stream}`,
        first: remaining[0]!.position,
        last: remaining[remaining.length - 1]!.position,
      };
      try {
        await this.options.client.send(update(this.options.tableName, delta, append, mark));
        return;
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= MAX_ONCE_ATTEMPTS) throw error;
        const held = fromItem<BucketItem>((error as { Item?: Record<string, AttributeValue> }).Item);
        const applied = typeof held?.[mark.name] === 'string' ? (held[mark.name] as string) : '';
        remaining = remaining.filter((part) => part.position > applied);
        timesHeld = held?.responseMs?.length ?? 0;
      }
    }
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
    const items = (await Promise.all(days.map((day) => this.queryDay(day)))).flat();
    return items.filter((item) => hours.has(item.hour)).map(bucketOf);
  }

  private async queryDay(day: string): Promise<BucketItem[]> {
    const items: BucketItem[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: toItem({ ':pk': `${BUCKET_PREFIX}${day}` }),
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
    const times = delta.responseMs ?? [];
    const append = times.length > 0 && times.length <= RESPONSE_TIMES_PER_BUCKET;
    try {
      await this.options.client.send(update(this.options.tableName, delta, append));
    } catch (error) {
      // The bucket holds as many exact times as it keeps: the counts and the histogram still go in.
      if (!append || !isConditionFailure(error)) throw error;
      await this.options.client.send(update(this.options.tableName, delta, false));
    }
  }
}

const BUCKET_PREFIX = 'ANALYTICS#';
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

/** One bucket's update: ADD its counts, bins and hits; SET its dimensions; append its times (while there is room) and marks. */
function update(
  tableName: string,
  delta: AnalyticsDelta,
  appendTimes: boolean,
  mark?: { name: string; first: string; last: string },
): UpdateItemCommand {
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
  const times = delta.responseMs ?? [];
  if (appendTimes) {
    names['#times'] = 'responseMs';
    values[':times'] = times;
    values[':empty'] = [];
    values[':room'] = RESPONSE_TIMES_PER_BUCKET - times.length;
    sets.push('#times = list_append(if_not_exists(#times, :empty), :times)');
    conditions.push('(attribute_not_exists(#times) OR size(#times) <= :room)');
  }
  if (mark) {
    names['#mark'] = mark.name;
    values[':first'] = mark.first;
    values[':last'] = mark.last;
    sets.push('#mark = :last');
    conditions.push('(attribute_not_exists(#mark) OR #mark < :first)');
  }
  const condition = conditions.length > 0 ? conditions.join(' AND ') : undefined;
  if (delta.spikes && delta.spikes.length > 0) {
    names['#spikes'] = 'spikes';
    values[':spikes'] = delta.spikes;
    values[':empty'] = [];
    sets.push('#spikes = list_append(if_not_exists(#spikes, :empty), :spikes)');
  }
  return new UpdateItemCommand({
    TableName: tableName,
    Key: toItem({
      pk: `${BUCKET_PREFIX}${delta.hour.slice(0, 10)}`,
      sk: bucketParts(delta).map(encodeURIComponent).join('#'),
    }),
    UpdateExpression: `SET ${sets.join(', ')}${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
    ...(condition ? { ConditionExpression: condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: toItem(values),
  });
}

function bucketOf(item: BucketItem): AnalyticsBucket {
  const bucket = emptyBucket(item);
  for (const field of COUNT_FIELDS) bucket[field] = typeof item[field] === 'number' ? (item[field] as number) : 0;
  bucket.responseMs = item.responseMs ?? [];
  bucket.spikes = item.spikes ?? [];
  for (const [attribute, value] of Object.entries(item)) {
    if (typeof value !== 'number') continue;
    if (attribute.startsWith('rt#')) bucket.histogram[attribute.slice(3)] = value;
    else if (attribute.startsWith('hit#')) bucket.ruleHits[attribute.slice(4)] = value;
  }
  return bucket;
}
