import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ConversationTicket, Helpdesk, TicketRef, TicketStore } from '../../escalation/ports.js';
import { fromItem, isConditionFailure, toItem, transactionCancellation } from './item.js';

function required(value: string, name: string): string {
  if (!value) throw new Error(`DynamoTicketStore: ${name} is required`);
  return value;
}

function ticketKey(conversation: string, target: string): { pk: string; sk: string } {
  return { pk: `TICKET#${required(conversation, 'conversation')}`, sk: `TARGET#${required(target, 'target')}` };
}

function refKey(helpdesk: Helpdesk, id: string): { pk: string; sk: string } {
  return { pk: `TICKETREF#${helpdesk}#${required(id, 'id')}`, sk: 'TICKETREF' };
}

/**
 * Conversations' helpdesk tickets in the single table: `TICKET#<conversation>` / `TARGET#<target>`, and
 * `TICKETREF#<helpdesk>#<id>` naming the conversation of a helpdesk id (what its webhooks carry). Reserving is
 * a conditional put; opening writes the ticket and its reference in one transaction.
 */
export class DynamoTicketStore implements TicketStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    if (!options.tableName) throw new Error('DynamoTicketStore: tableName is required');
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async get(conversation: string, target: string): Promise<ConversationTicket | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem(ticketKey(conversation, target)), ConsistentRead: true }),
    );
    return strip(fromItem(Item));
  }

  async reserve(ticket: ConversationTicket): Promise<ConversationTicket> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({ ...ticket, ...ticketKey(ticket.conversation, ticket.target) }),
          // A released reservation is kept as a marker (an UpdateItem, so act needs no DeleteItem) and taken over here.
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :released',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({ ':released': RELEASED }),
        }),
      );
      return ticket;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.get(ticket.conversation, ticket.target);
      // Released between the put and the read: try once more.
      return stored ?? this.reserve(ticket);
    }
  }

  async open(conversation: string, target: string, openedBy: string, ref: TicketRef, now: Date): Promise<boolean> {
    const stored = await this.get(conversation, target);
    if (stored?.status !== 'opening' || stored.openedBy !== openedBy) return false;
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: toItem(ticketKey(conversation, target)),
                ConditionExpression: '#status = :opening AND openedBy = :by',
                UpdateExpression: `SET #status = :open, id = :id, openedAt = :at${ref.url ? ', #url = :url' : ''}`,
                ExpressionAttributeNames: { '#status': 'status', ...(ref.url ? { '#url': 'url' } : {}) },
                ExpressionAttributeValues: toItem({
                  ':opening': 'opening',
                  ':open': 'open',
                  ':by': openedBy,
                  ':id': ref.id,
                  ':at': now.toISOString(),
                  ...(ref.url ? { ':url': ref.url } : {}),
                }),
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: toItem({ ...refKey(stored.helpdesk, ref.id), conversation, target }),
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (transactionCancellation(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async release(conversation: string, target: string, openedBy: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: toItem(ticketKey(conversation, target)),
          ConditionExpression: '#status = :opening AND openedBy = :by',
          UpdateExpression: 'SET #status = :released',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem({ ':opening': 'opening', ':by': openedBy, ':released': RELEASED }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async byTicketId(helpdesk: Helpdesk, id: string): Promise<ConversationTicket | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem(refKey(helpdesk, id)), ConsistentRead: true }),
    );
    const ref = fromItem<{ conversation: string; target: string }>(Item);
    return ref ? this.get(ref.conversation, ref.target) : undefined;
  }

  async forConversation(conversation: string): Promise<ConversationTicket[]> {
    const tickets: ConversationTicket[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :target)',
          ExpressionAttributeValues: toItem({ ':pk': ticketKey(conversation, 'x').pk, ':target': 'TARGET#' }),
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const ticket = strip(fromItem(item));
        if (ticket) tickets.push(ticket);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return tickets;
  }
}

/** The status a released reservation keeps: read as no ticket at all. */
const RELEASED = 'released';

function strip(item: (ConversationTicket & { pk?: string; sk?: string }) | undefined): ConversationTicket | undefined {
  if (!item || (item.status as string) === RELEASED) return undefined;
  const { pk: _pk, sk: _sk, ...ticket } = item;
  return ticket;
}
