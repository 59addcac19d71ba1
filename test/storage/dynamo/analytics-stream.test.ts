import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { analyticsChangesOf } from '../../../functions/storage/dynamo/analytics-stream.js';
import { makeEvent } from '../../support/events.js';

/** Records in the DynamoDB Streams shape (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html). */
function record(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  sequence: string,
  item: Record<string, unknown>,
  old?: Record<string, unknown>,
): DynamoDBRecord {
  return {
    eventID: `e-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/foghorn/stream/2026-12-02T00:00:00.000',
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      NewImage: marshall(item, { removeUndefinedValues: true }) as never,
      ...(old ? { OldImage: marshall(old, { removeUndefinedValues: true }) as never } : {}),
      SequenceNumber: sequence,
      SizeBytes: 100,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const subject = makeEvent({ id: 'generic:m1', text: '' });
const answer = { platform: 'generic', channel: 'web', lang: 'und', by: 'automated', conversations: ['generic|web|m1'] };
const action = (status: string, extra: Record<string, unknown> = {}) => ({
  pk: 'ACTION#c1',
  sk: 'ACTION',
  status,
  type: 'reply',
  updatedAt: '2026-11-22T10:05:00.000Z',
  ...extra,
});

describe('analyticsChangesOf', () => {
  it('reads a decision put with its subject, and an action that completed as succeeded with its answer, in stream order', () => {
    const changes = analyticsChangesOf([
      record('INSERT', '11', {
        pk: 'DECISION#generic:m1',
        sk: 'DECISION',
        decision: { eventId: 'generic:m1', rules: ['r'], commands: [], analyticsSubject: subject },
      }),
      record('MODIFY', '12', action('succeeded', { answer }), action('in-progress', { answer })),
    ]);
    expect(changes).toEqual([
      { position: '11', source: 'DECISION#generic:m1', decided: { subject, rules: ['r'] } },
      { position: '12', source: 'ACTION#c1', answered: { answer, at: new Date('2026-11-22T10:05:00.000Z') } },
    ]);
  });

  it("takes a decision's event from its first command when it has no subject", () => {
    const [change] = analyticsChangesOf([
      record('INSERT', '21', {
        pk: 'DECISION#generic:m1',
        sk: 'DECISION',
        decision: { eventId: 'generic:m1', rules: [], commands: [{ event: subject }] },
      }),
    ]);
    expect(change).toMatchObject({ decided: { subject, rules: [] } });
  });

  it('skips everything else: other items, removals, a completion seen again, a failure, an action without an answer', () => {
    expect(
      analyticsChangesOf([
        record('INSERT', '31', { pk: 'EVENT#generic:m1', sk: 'EVENT' }),
        record('REMOVE', '32', { pk: 'DECISION#generic:m1', sk: 'DECISION' }),
        record('MODIFY', '33', action('succeeded', { answer }), action('succeeded', { answer })),
        record('MODIFY', '34', action('failed', { answer }), action('in-progress', { answer })),
        record('MODIFY', '35', action('succeeded'), action('in-progress')),
        record('MODIFY', '36', action('succeeded', { answer: { ...answer, by: 'robot' } }), action('in-progress')),
        record('INSERT', '37', { pk: 'DECISION#generic:m2', sk: 'DECISION', decision: { eventId: 'generic:m2', rules: [], commands: [] } }),
      ]),
    ).toEqual([]);
  });

  it("reads a conversation's owner put or changed, and skips a change that keeps its person, team and time (closing it)", () => {
    const owner = (extra: Record<string, unknown>) => ({
      pk: 'OWNER#generic|web|m1',
      sk: 'OWNER',
      conversation: 'generic|web|m1',
      since: '2026-11-22T10:01:00.000Z',
      by: 'rule:persian',
      why: 'round robin',
      open: true,
      change: 'c1',
      eventId: 'generic:m1',
      ...extra,
    });
    const changes = analyticsChangesOf([
      record('INSERT', '41', owner({ person: 'sara', team: 'persian-desk' })),
      record('MODIFY', '42', owner({ person: 'sara', team: 'persian-desk', open: false }), owner({ person: 'sara', team: 'persian-desk' })),
      record(
        'MODIFY',
        '43',
        owner({ person: 'reza', since: '2026-11-22T10:09:00.000Z', change: 'c2' }),
        owner({ person: 'sara', team: 'persian-desk', open: false }),
      ),
      record('MODIFY', '44', owner({ team: 'vk-desk', since: '2026-11-22T10:20:00.000Z' }), owner({ person: 'reza' })),
      record('REMOVE', '45', owner({ person: 'reza' })),
      record('INSERT', '46', { pk: 'OWNER#generic|web|m2', sk: 'OWNER', person: 'sara' }),
    ]);
    expect(changes).toEqual([
      {
        position: '41',
        source: 'OWNER#generic|web|m1',
        owned: { conversation: 'generic|web|m1', person: 'sara', team: 'persian-desk', since: '2026-11-22T10:01:00.000Z' },
      },
      {
        position: '43',
        source: 'OWNER#generic|web|m1',
        owned: { conversation: 'generic|web|m1', person: 'reza', since: '2026-11-22T10:09:00.000Z' },
      },
      {
        position: '44',
        source: 'OWNER#generic|web|m1',
        owned: { conversation: 'generic|web|m1', team: 'vk-desk', since: '2026-11-22T10:20:00.000Z' },
      },
    ]);
  });
});
