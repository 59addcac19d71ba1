import { type DynamoDBClient, GetItemCommand, type TransactWriteItem, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import type { AssignmentStore, AssignResult, ConversationOwner } from '../../assignment/ports.js';
import { fromItem, toItem, transactionCancellation } from './item.js';

function required(value: string, name: string): string {
  if (!value) throw new Error(`DynamoAssignmentStore: ${name} is required`);
  return value;
}

const ownerKey = (conversation: string) => ({ pk: `OWNER#${required(conversation, 'conversation')}`, sk: 'OWNER' });
const turnKey = (team: string) => ({ pk: `TURN#${required(team, 'team')}`, sk: 'TURN' });
const turnTakenKey = (team: string, change: string) => ({
  pk: `TURN#${required(team, 'team')}`,
  sk: `CHANGE#${required(change, 'change')}`,
});
const openKey = (person: string) => ({ pk: `OPEN#${required(person, 'person')}`, sk: 'OPEN' });

/** Reads sent at once for a page of owners or a team's counters. */
const READS_AT_ONCE = 25;
/** A turn or an owner that changed under this call is read again this many times before giving up. */
const RETRIES = 10;

/**
 * Conversations' owners in the single table: `OWNER#<conversation>`; each team's round-robin turn `TURN#<team>` /
 * `TURN` (one item per team) with the turn each change took beside it (`CHANGE#<change>`); and each person's open
 * count `OPEN#<person>` (least open reads the members' counters, one GetItem each, never a scan). Each change is one transaction
 * conditioned on what it read, so concurrent changes never share a turn and a retried change counts nothing twice.
 */
export class DynamoAssignmentStore implements AssignmentStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    if (!options.tableName) throw new Error('DynamoAssignmentStore: tableName is required');
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async owner(conversation: string): Promise<ConversationOwner | undefined> {
    return strip(await this.read(ownerKey(conversation)));
  }

  async owners(conversations: readonly string[]): Promise<Map<string, ConversationOwner>> {
    const found = new Map<string, ConversationOwner>();
    for (const owner of await this.readEach([...new Set(conversations)], (conversation) => this.owner(conversation)))
      if (owner) found.set(owner.conversation, owner);
    return found;
  }

  async takeTurn(team: string, change: string): Promise<number> {
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const taken = await this.read<{ turn: number }>(turnTakenKey(team, change));
      if (taken) return taken.turn;
      const turn = (await this.read<{ next: number }>(turnKey(team)))?.next ?? 0;
      try {
        await this.transact([
          {
            Put: {
              TableName: this.tableName,
              Item: toItem({ ...turnKey(team), next: turn + 1 }),
              ConditionExpression: turn === 0 ? 'attribute_not_exists(pk) OR #next = :turn' : '#next = :turn',
              ExpressionAttributeNames: { '#next': 'next' },
              ExpressionAttributeValues: toItem({ ':turn': turn }),
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: toItem({ ...turnTakenKey(team, change), turn }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]);
        return turn;
      } catch (error) {
        if (!transactionCancellation(error)) throw error;
      }
    }
    throw new Error(`DynamoAssignmentStore: the turn of team ${team} kept changing; try again`);
  }

  async openCounts(people: readonly string[]): Promise<Map<string, number>> {
    const unique = [...new Set(people)];
    const counters = await this.readEach(unique, (person) => this.read<{ open?: number }>(openKey(person)));
    const counts = new Map<string, number>();
    unique.forEach((person, index) => {
      const open = counters[index]?.open ?? 0;
      if (open > 0) counts.set(person, open);
    });
    return counts;
  }

  async assign(owner: ConversationOwner, expected: string | undefined): Promise<AssignResult> {
    const stored = await this.owner(owner.conversation);
    if (stored?.change === owner.change) return 'repeated';
    if (stored?.change !== expected) return 'conflict';
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: toItem({ ...owner, ...ownerKey(owner.conversation) }),
          ...(stored
            ? {
                ConditionExpression: '#change = :expected',
                ExpressionAttributeNames: { '#change': 'change' },
                ExpressionAttributeValues: toItem({ ':expected': stored.change }),
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
    ];
    const moves = new Map<string, number>();
    if (stored?.open && stored.person) moves.set(stored.person, (moves.get(stored.person) ?? 0) - 1);
    if (owner.open && owner.person) moves.set(owner.person, (moves.get(owner.person) ?? 0) + 1);
    for (const [person, by] of moves) if (by !== 0) items.push(this.count(person, by));
    try {
      await this.transact(items);
      return 'assigned';
    } catch (error) {
      if (!transactionCancellation(error)) throw error;
      return (await this.owner(owner.conversation))?.change === owner.change ? 'repeated' : 'conflict';
    }
  }

  async close(conversation: string, _at: Date): Promise<boolean> {
    const stored = await this.owner(conversation);
    if (!stored?.open) return false;
    const items: TransactWriteItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: toItem(ownerKey(conversation)),
          UpdateExpression: 'SET #open = :closed',
          ConditionExpression: '#open = :open AND #change = :change',
          ExpressionAttributeNames: { '#open': 'open', '#change': 'change' },
          ExpressionAttributeValues: toItem({ ':open': true, ':closed': false, ':change': stored.change }),
        },
      },
    ];
    if (stored.person) items.push(this.count(stored.person, -1));
    try {
      await this.transact(items);
      return true;
    } catch (error) {
      if (transactionCancellation(error)) return false;
      throw error;
    }
  }

  private count(person: string, by: number): TransactWriteItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: toItem(openKey(person)),
        UpdateExpression: 'ADD #open :by',
        ExpressionAttributeNames: { '#open': 'open' },
        ExpressionAttributeValues: toItem({ ':by': by }),
      },
    };
  }

  private async read<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: toItem(key), ConsistentRead: true }));
    return fromItem<T>(Item);
  }

  /** One GetItem per key, READS_AT_ONCE at a time: the functions' roles need no BatchGetItem for a page of owners. */
  private async readEach<K, T>(keys: readonly K[], read: (key: K) => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    for (let start = 0; start < keys.length; start += READS_AT_ONCE)
      results.push(...(await Promise.all(keys.slice(start, start + READS_AT_ONCE).map(read))));
    return results;
  }

  private async transact(items: TransactWriteItem[]): Promise<void> {
    await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
  }
}

function strip(item: (ConversationOwner & { pk?: string; sk?: string }) | undefined): ConversationOwner | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...owner } = item;
  return owner;
}
