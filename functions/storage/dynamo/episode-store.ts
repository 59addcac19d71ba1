import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { EpisodeStore, SpikeEpisode } from '../../crisis/ports.js';
import { pendingDecision } from '../decision-writes.js';
import { type DeferredWrite, DYNAMO_DECISION } from './decision-store.js';
import type { HeldCounts, HeldWrite } from './held-counts.js';
import { queryIndexPartition } from './index-query.js';
import { fromItem, isConditionFailure, toItem, transactionCancellation } from './item.js';
import { expiresIn, TABLE_KEYS } from './table.js';

const OPEN_INDEX = 'SPIKES-OPEN';
/** An open episode's running count and last event time are spread over this many heartbeat items. */
export const HEARTBEAT_SHARDS = 8;
/** How long `recent` answers from what it read before. */
const RECENT_MS = 2_000;
/** A heartbeat outlives any quiet period; the sweep closes the episode long before. */
const HEARTBEAT_RETENTION_SECONDS = 7 * 86_400;

interface Heartbeat {
  count?: number;
  lastEventAt?: string;
}

const HEARTBEAT = 'heartbeat';

/** One event's heartbeat, held until its batch settles (held-counts.ts). */
interface HeldHeartbeat extends HeldWrite {
  readonly kind: typeof HEARTBEAT;
  readonly ruleId: string;
  readonly incident: string;
  readonly at: Date;
}

/**
 * The latest spike episode of each rule (`SPIKE#<rule>` / `EPISODE`, 4–5 KB with its first event and actions).
 * Opening is a conditional put (only when none is open), so one evaluator opens an episode; open episodes sit in a
 * sparse gsi1 partition the sweep reads, and leave it once closed and their end's commands are dispatched. The item is written twice per episode (open,
 * close), never per event.
 *
 * Per matching event after the opening: `recent` (one eventually consistent read per rule and container every
 * 2 s) and `touch`, one small write on one of HEARTBEAT_SHARDS unindexed items (`SPIKEHB#<rule>#<shard>` /
 * `HB#<incident>`: count and last event time), so at 3,000 matching events/s a heartbeat takes about 375 WRU/s.
 * Reading the episode whole sums its heartbeats; closing checks in one transaction that none moved past the last
 * event time the sweep saw, and writes the totals into the episode. With `held` (the evaluate function's), the
 * heartbeats of one batch's kept decisions are one write per episode at the batch's end (held-counts.ts): a few
 * seconds late at most, against quiet periods of minutes.
 */
export class DynamoEpisodeStore implements EpisodeStore {
  private readonly read = new Map<string, { episode: SpikeEpisode | undefined; at: number }>();

  constructor(private readonly options: { client: DynamoDBClient; tableName: string; clock?: () => number; held?: HeldCounts }) {
    if (!options.tableName) throw new Error('DynamoEpisodeStore: tableName is required');
  }

  async current(ruleId: string): Promise<SpikeEpisode | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: key(ruleId), ConsistentRead: true }),
    );
    const episode = strip(fromItem<SpikeEpisode & Record<string, unknown>>(Item));
    this.remember(ruleId, episode);
    return episode?.status === 'open' ? this.withHeartbeats(episode) : episode;
  }

  /**
   * Safe stale: an episode just opened elsewhere and read as closed sends this event to open one, which the
   * conditional put refuses (and `current` then reads the winner); one just closed and read as open gets this
   * event's heartbeat, which nothing reads after the close (its count is in the buckets all the same).
   */
  async recent(ruleId: string): Promise<SpikeEpisode | undefined> {
    const now = this.now();
    const remembered = this.read.get(ruleId);
    if (remembered && now - remembered.at < RECENT_MS) return remembered.episode;
    const { Item } = await this.options.client.send(new GetItemCommand({ TableName: this.options.tableName, Key: key(ruleId) }));
    const episode = strip(fromItem<SpikeEpisode & Record<string, unknown>>(Item));
    this.remember(ruleId, episode);
    return episode;
  }

  async open(episode: SpikeEpisode): Promise<boolean> {
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toItem({
            ...episode,
            pk: `SPIKE#${episode.ruleId}`,
            sk: 'EPISODE',
            [TABLE_KEYS.gsi1.partitionKey]: OPEN_INDEX,
            [TABLE_KEYS.gsi1.sortKey]: `${episode.startedAt}#${episode.ruleId}`,
          }),
          // Not over an open episode, nor over a closed one whose end's commands are still owed.
          ConditionExpression: 'attribute_not_exists(pk) OR (#status <> :open AND attribute_not_exists(undispatched))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({ ':open': 'open' }),
        }),
      );
      this.remember(episode.ruleId, episode);
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      this.read.delete(episode.ruleId);
      return false;
    }
  }

  /**
   * One write, on one heartbeat: the count always grows; lastEventAt only moves forward (a batch's events come in any order).
   * Inside a decision it waits for the decision to be kept (decision-store.ts), so an event beats once.
   */
  async touch(ruleId: string, incident: string, at: Date): Promise<void> {
    const beat: HeldHeartbeat = {
      kind: HEARTBEAT,
      mergeKey: `${ruleId}\u0000${incident}`,
      ruleId,
      incident,
      at,
      writeMerged: (group) => this.beat(group as readonly HeldHeartbeat[]),
    };
    const pending = pendingDecision<DeferredWrite>(DYNAMO_DECISION);
    const { held } = this.options;
    if (!pending) await this.beat([beat]);
    else pending.defer(held ? async () => held.hold(beat) : () => this.beat([beat]));
  }

  /** One episode's heartbeats as one write: the count grows by how many; lastEventAt moves forward to the latest. */
  private async beat(beats: readonly HeldHeartbeat[]): Promise<void> {
    const [first] = beats;
    if (!first) return;
    const at = new Date(Math.max(...beats.map((beat) => beat.at.getTime())));
    const base = {
      TableName: this.options.tableName,
      Key: heartbeatKey(first.ruleId, first.incident, Math.floor(Math.random() * HEARTBEAT_SHARDS)),
      ExpressionAttributeNames: { '#count': 'count', '#ttl': TABLE_KEYS.ttl },
    };
    const values = { ':n': beats.length, ':ttl': expiresIn(at, HEARTBEAT_RETENTION_SECONDS) };
    try {
      await this.options.client.send(
        new UpdateItemCommand({
          ...base,
          // `<=`: a batch's events share a time, and a refusal would cost its write and a second one.
          ConditionExpression: 'attribute_not_exists(lastEventAt) OR lastEventAt <= :at',
          UpdateExpression: 'ADD #count :n SET lastEventAt = :at, #ttl = :ttl',
          ExpressionAttributeValues: toItem({ ...values, ':at': at.toISOString() }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      await this.options.client.send(
        new UpdateItemCommand({ ...base, UpdateExpression: 'ADD #count :n SET #ttl = :ttl', ExpressionAttributeValues: toItem(values) }),
      );
    }
  }

  async listOpen(): Promise<SpikeEpisode[]> {
    const items = await queryIndexPartition<SpikeEpisode & Record<string, unknown>>(
      this.options.client,
      this.options.tableName,
      OPEN_INDEX,
    );
    const open = items.map((item) => strip(item)).filter((episode): episode is SpikeEpisode => episode?.status === 'open');
    return Promise.all(open.map((episode) => this.withHeartbeats(episode)));
  }

  async listUndispatched(): Promise<SpikeEpisode[]> {
    const items = await queryIndexPartition<SpikeEpisode & Record<string, unknown>>(
      this.options.client,
      this.options.tableName,
      OPEN_INDEX,
    );
    return items
      .map((item) => strip(item))
      .filter((episode): episode is SpikeEpisode => episode?.status === 'closed' && episode.undispatched === true);
  }

  async dispatched(ruleId: string, incident: string): Promise<void> {
    await this.options.client
      .send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: key(ruleId),
          ConditionExpression: 'incident = :incident AND attribute_exists(undispatched)',
          UpdateExpression: 'REMOVE undispatched, #gpk, #gsk',
          ExpressionAttributeNames: { '#gpk': TABLE_KEYS.gsi1.partitionKey, '#gsk': TABLE_KEYS.gsi1.sortKey },
          ExpressionAttributeValues: toItem({ ':incident': incident }),
        }),
      )
      .catch(ignoreConditionFailure);
  }

  async close(ruleId: string, incident: string, lastEventAt: string, now: Date): Promise<boolean> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: key(ruleId), ConsistentRead: true }),
    );
    const stored = strip(fromItem<SpikeEpisode & Record<string, unknown>>(Item));
    if (stored?.status !== 'open' || stored.incident !== incident) return false;
    const { count } = await this.withHeartbeats(stored);
    try {
      await this.options.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.options.tableName,
                Key: key(ruleId),
                ConditionExpression: '#status = :open AND incident = :incident AND lastEventAt <= :last',
                UpdateExpression: 'SET #status = :closed, closedAt = :now, #count = :count, lastEventAt = :last, undispatched = :owed',
                ExpressionAttributeNames: {
                  '#status': 'status',
                  '#count': 'count',
                },
                ExpressionAttributeValues: toItem({
                  ':open': 'open',
                  ':closed': 'closed',
                  ':incident': incident,
                  ':last': lastEventAt,
                  ':count': count,
                  ':now': now.toISOString(),
                  ':owed': true,
                }),
              },
            },
            // Nothing arrived after the last event the sweep saw: no heartbeat moved past it.
            ...Array.from({ length: HEARTBEAT_SHARDS }, (_, shard) => ({
              ConditionCheck: {
                TableName: this.options.tableName,
                Key: heartbeatKey(ruleId, incident, shard),
                ConditionExpression: 'attribute_not_exists(lastEventAt) OR lastEventAt <= :last',
                ExpressionAttributeValues: toItem({ ':last': lastEventAt }),
              },
            })),
          ],
        }),
      );
      this.read.delete(ruleId);
      return true;
    } catch (error) {
      const reasons = transactionCancellation(error);
      if (!reasons) throw error;
      if (reasons.every((code) => code === 'None' || code === 'ConditionalCheckFailed' || code === 'TransactionConflict')) return false;
      throw new Error(`close: the transaction closing the spike episode of ${ruleId} was cancelled (${reasons.join(', ')})`, {
        cause: error,
      });
    }
  }

  /** The episode with its heartbeats: the count summed, the latest event time. */
  private async withHeartbeats(episode: SpikeEpisode): Promise<SpikeEpisode> {
    const beats = await Promise.all(
      Array.from({ length: HEARTBEAT_SHARDS }, async (_, shard) => {
        const { Item } = await this.options.client.send(
          new GetItemCommand({
            TableName: this.options.tableName,
            Key: heartbeatKey(episode.ruleId, episode.incident, shard),
            ConsistentRead: true,
          }),
        );
        return fromItem<Heartbeat>(Item);
      }),
    );
    let { count, lastEventAt } = episode;
    for (const beat of beats) {
      count += beat?.count ?? 0;
      if (beat?.lastEventAt && beat.lastEventAt > lastEventAt) lastEventAt = beat.lastEventAt;
    }
    // What this container's batch holds for the episode, not yet written.
    for (const beat of this.options.held?.of<HeldHeartbeat>(HEARTBEAT) ?? []) {
      if (beat.ruleId !== episode.ruleId || beat.incident !== episode.incident) continue;
      count += 1;
      const at = beat.at.toISOString();
      if (at > lastEventAt) lastEventAt = at;
    }
    return { ...episode, count, lastEventAt };
  }

  private remember(ruleId: string, episode: SpikeEpisode | undefined): void {
    this.read.set(ruleId, { episode, at: this.now() });
  }

  private now(): number {
    return this.options.clock?.() ?? Date.now();
  }
}

function key(ruleId: string) {
  return toItem({ pk: `SPIKE#${ruleId}`, sk: 'EPISODE' });
}

function heartbeatKey(ruleId: string, incident: string, shard: number) {
  return toItem({ pk: `SPIKEHB#${ruleId}#${shard}`, sk: `HB#${incident}` });
}

function strip(item: (SpikeEpisode & Record<string, unknown>) | undefined): SpikeEpisode | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _gpk, gsi1sk: _gsk, ...episode } = item;
  return episode as SpikeEpisode;
}

function ignoreConditionFailure(error: unknown): void {
  if (!isConditionFailure(error)) throw error;
}
