import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { CrisisState, CrisisStore } from '../../crisis/ports.js';
import type { ClaimCrisisChecks } from './claim-crisis-checks.js';
import { fromItem, isConditionFailure, toItem } from './item.js';

const KEY = { pk: 'CRISIS', sk: 'STATE' };

/** How long a decision may go on seeing the switch as read (getRecent): one read per container in this time. */
const RECENT_MS = 5_000;

/**
 * The crisis-mode switch (`CRISIS` / `STATE`), changed only with a version check. `get` reads it as it is;
 * `getRecent` (decisions) reads it at most once per RECENT_MS and container, eventually consistent; a claim
 * that checked it in its own transaction answers the guard (`crisisChecks`), which also hears each state read or
 * set here (so claims skip a check that would be refused).
 */
export class DynamoCrisisStore implements CrisisStore {
  private recent: { state: CrisisState; at: number } | undefined;
  private reading: Promise<CrisisState> | undefined;

  constructor(
    private readonly options: {
      client: DynamoDBClient;
      tableName: string;
      crisisChecks?: ClaimCrisisChecks;
      now?: () => number;
    },
  ) {
    if (!options.tableName) throw new Error('DynamoCrisisStore: tableName is required');
  }

  get(): Promise<CrisisState> {
    return this.read(true);
  }

  async getRecent(): Promise<CrisisState> {
    const now = (this.options.now ?? Date.now)();
    if (this.recent && now - this.recent.at < RECENT_MS) return this.recent.state;
    // Concurrent evaluations share one read.
    this.reading ??= this.read(false).finally(() => {
      this.reading = undefined;
    });
    const state = await this.reading;
    this.recent = { state, at: now };
    return state;
  }

  checkedOffAtClaim(commandId: string): boolean {
    return this.options.crisisChecks?.take(commandId) ?? false;
  }

  async set(next: Omit<CrisisState, 'version'>, expectedVersion: number): Promise<boolean> {
    this.recent = undefined;
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toItem({ ...KEY, ...next, version: expectedVersion + 1 }),
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk) OR version = :expected' : 'version = :expected',
          ExpressionAttributeValues: toItem({ ':expected': expectedVersion }),
        }),
      );
      this.options.crisisChecks?.saw(next.on);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async read(consistent: boolean): Promise<CrisisState> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: toItem(KEY), ConsistentRead: consistent }),
    );
    const item = fromItem<CrisisState & { pk: string; sk: string }>(Item);
    if (!item) {
      this.options.crisisChecks?.saw(false);
      return { on: false, version: 0 };
    }
    const { pk: _pk, sk: _sk, ...state } = item;
    this.options.crisisChecks?.saw(state.on);
    return state;
  }
}
