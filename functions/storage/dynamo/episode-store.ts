import { type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { EpisodeStore, SpikeEpisode } from '../../crisis/ports.js';
import { queryIndexPartition } from './index-query.js';
import { fromItem, isConditionFailure, toItem } from './item.js';
import { TABLE_KEYS } from './table.js';

const OPEN_INDEX = 'SPIKES-OPEN';

/**
 * The latest spike episode of each rule (`SPIKE#<rule>` / `EPISODE`). Opening is a conditional put
 * (only when none is open), so one evaluator opens an episode; open episodes sit in a sparse gsi1
 * partition the sweep reads, and leave it once closed and their end's commands are dispatched.
 */
export class DynamoEpisodeStore implements EpisodeStore {
  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    if (!options.tableName) throw new Error('DynamoEpisodeStore: tableName is required');
  }

  async current(ruleId: string): Promise<SpikeEpisode | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: key(ruleId), ConsistentRead: true }),
    );
    return strip(fromItem<SpikeEpisode & Record<string, unknown>>(Item));
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
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async touch(ruleId: string, incident: string, at: Date): Promise<void> {
    const client = this.options.client;
    const base = {
      TableName: this.options.tableName,
      Key: key(ruleId),
      ExpressionAttributeNames: { '#status': 'status', '#count': 'count' },
    };
    // The count always grows; lastEventAt only moves forward (events of a batch arrive in any order).
    await client
      .send(
        new UpdateItemCommand({
          ...base,
          ConditionExpression: '#status = :open AND incident = :incident',
          UpdateExpression: 'ADD #count :one',
          ExpressionAttributeValues: toItem({ ':open': 'open', ':incident': incident, ':one': 1 }),
        }),
      )
      .catch(ignoreConditionFailure);
    await client
      .send(
        new UpdateItemCommand({
          ...base,
          ExpressionAttributeNames: { '#status': 'status' },
          ConditionExpression: '#status = :open AND incident = :incident AND lastEventAt < :at',
          UpdateExpression: 'SET lastEventAt = :at',
          ExpressionAttributeValues: toItem({ ':open': 'open', ':incident': incident, ':at': at.toISOString() }),
        }),
      )
      .catch(ignoreConditionFailure);
  }

  async listOpen(): Promise<SpikeEpisode[]> {
    const items = await queryIndexPartition<SpikeEpisode & Record<string, unknown>>(
      this.options.client,
      this.options.tableName,
      OPEN_INDEX,
    );
    return items.map((item) => strip(item)).filter((episode): episode is SpikeEpisode => episode?.status === 'open');
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
    try {
      await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: key(ruleId),
          ConditionExpression: '#status = :open AND incident = :incident AND lastEventAt = :last',
          UpdateExpression: 'SET #status = :closed, closedAt = :now, undispatched = :owed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({
            ':open': 'open',
            ':closed': 'closed',
            ':incident': incident,
            ':last': lastEventAt,
            ':now': now.toISOString(),
            ':owed': true,
          }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function key(ruleId: string) {
  return toItem({ pk: `SPIKE#${ruleId}`, sk: 'EPISODE' });
}

function strip(item: (SpikeEpisode & Record<string, unknown>) | undefined): SpikeEpisode | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _gpk, gsi1sk: _gsk, ...episode } = item;
  return episode as SpikeEpisode;
}

function ignoreConditionFailure(error: unknown): void {
  if (!isConditionFailure(error)) throw error;
}
