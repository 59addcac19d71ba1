import { describe, expect, it } from 'vitest';
import type { DynamoCall } from '../../capacity/in-process-dynamo.js';
import { matchesPattern, TableStream } from '../../capacity/table-stream.js';
import { ANALYTICS_STREAM } from '../../functions/app/topology.js';

const shape = { partitionKey: 'pk', sortKey: 'sk', indexes: [] };
const item = (pk: string, sk: string, extra: Record<string, string> = {}) => ({
  pk: { S: pk },
  sk: { S: sk },
  ...Object.fromEntries(Object.entries(extra).map(([name, value]) => [name, { S: value }])),
});
const write = (before: ReturnType<typeof item> | undefined, after: ReturnType<typeof item> | undefined, refused = false): DynamoCall => ({
  command: 'PutItemCommand',
  writes: [{ before, after, key: (after ?? before)!, transactional: false, refused }],
  reads: [],
});

describe("the capacity model's table stream", () => {
  it("passes what the analytics function's filters pass: a decision put, an owner put or changed, a reply completed", () => {
    let now = 0;
    const stream = new TableStream({ shape: () => shape, now: () => now });
    stream.record(write(undefined, item('DECISION#e1', 'DECISION')));
    stream.record(write(undefined, item('EVENT#e1', 'EVENT')));
    stream.record(write(undefined, item('OWNER#c1', 'OWNER')));
    stream.record(write(item('OWNER#c1', 'OWNER'), item('OWNER#c1', 'OWNER', { person: 'sara' })));
    stream.record(
      write(
        item('ACTION#a1', 'ACTION', { status: 'claimed', type: 'reply' }),
        item('ACTION#a1', 'ACTION', { status: 'succeeded', type: 'reply' }),
      ),
    );
    stream.record(
      write(
        item('ACTION#a2', 'ACTION', { status: 'claimed', type: 'escalate' }),
        item('ACTION#a2', 'ACTION', { status: 'succeeded', type: 'escalate' }),
      ),
    );
    // A decision put refused (one already there) changes nothing, and a write that left the item as it was neither.
    stream.record(write(item('DECISION#e1', 'DECISION'), item('DECISION#e1', 'DECISION'), true));
    stream.record(write(item('DECISION#e2', 'DECISION'), item('DECISION#e2', 'DECISION')));
    expect(stream.delivered).toBe(4);
    expect(stream.filteredOut).toBe(2);

    // Not due yet: fewer than a batch and younger than the window.
    expect(stream.take(10, 5_000)).toEqual([]);
    now = 5_000;
    const batch = stream.take(3, 5_000);
    expect(batch.map((record) => `${record.eventName} ${record.dynamodb?.Keys?.pk?.S}`)).toEqual([
      'INSERT DECISION#e1',
      'INSERT OWNER#c1',
      'MODIFY OWNER#c1',
    ]);
    expect(BigInt(batch[2]!.dynamodb!.SequenceNumber!) > BigInt(batch[0]!.dynamodb!.SequenceNumber!)).toBe(true);
    expect(batch[2]!.dynamodb!.OldImage).toEqual(item('OWNER#c1', 'OWNER'));
    now = 5_001;
    expect(stream.take(3, 10_000, true).map((record) => record.dynamodb?.Keys?.pk?.S)).toEqual(['ACTION#a1']);
    expect(stream.take(3, 0, true)).toEqual([]);
  });

  it('matches patterns as Lambda event filtering does for the forms the stack uses', () => {
    const [decision, , reply] = ANALYTICS_STREAM.filters;
    const record = (eventName: string, image: Record<string, unknown>) => ({
      eventName,
      dynamodb: { Keys: { sk: { S: image.sk } }, NewImage: image },
    });
    expect(matchesPattern(decision, record('INSERT', { sk: 'DECISION' }))).toBe(true);
    expect(matchesPattern(decision, record('MODIFY', { sk: 'DECISION' }))).toBe(false);
    expect(matchesPattern(reply, record('MODIFY', { sk: 'ACTION', status: { S: 'succeeded' }, type: { S: 'reply' } }))).toBe(true);
    expect(matchesPattern(reply, record('MODIFY', { sk: 'ACTION', status: { S: 'failed' }, type: { S: 'reply' } }))).toBe(false);
    expect(matchesPattern(reply, { eventName: 'MODIFY' })).toBe(false);
  });
});
