import { describe, expect, it } from 'vitest';
import { type DynamoCall, InProcessDynamo } from '../../capacity/in-process-dynamo.js';
import { DynamoCrisisStore } from '../../functions/storage/dynamo/crisis-store.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { ensureTable } from '../../functions/storage/dynamo/table.js';
import { makeEvent } from '../support/events.js';

/** The in-process DynamoDB under the real stores: it answers as DynamoDB does, and reports each item's images. */
async function table() {
  const calls: DynamoCall[] = [];
  const engine = new InProcessDynamo((call) => calls.push(call));
  await ensureTable(engine as never, 'foghorn');
  const options = { client: engine as never, tableName: 'foghorn' };
  return { engine, calls, options };
}

describe('in-process DynamoDB', () => {
  it('stores an event with its raw payload once; a second put is refused as DynamoDB refuses it, and both are reported', async () => {
    const { calls, options } = await table();
    const store = new DynamoEventStore(options);
    const event = makeEvent({ id: 'generic:capacity-1' });
    const raw = { platform: 'generic', body: Buffer.from('{"hello":"world"}'), receivedAt: new Date(event.receivedAt) };

    expect(await store.putIfAbsent(event, raw)).toMatchObject({ created: true });
    expect(await store.putIfAbsent(event, raw)).toMatchObject({ created: false });
    expect((await store.getRaw(`event#${event.id}`))?.toString()).toBe('{"hello":"world"}');

    const puts = calls.filter((call) => call.command === 'PutItemCommand');
    expect(puts.map((call) => call.writes[0]?.refused)).toEqual([false, true]);
    expect(puts[0]!.writes[0]!.before).toBeUndefined();
    expect(puts[0]!.writes[0]!.after?.pk).toEqual({ S: `EVENT#${event.id}` });
  });

  it('answers a version conflict on the crisis switch as the store expects, and reports the strongly consistent read', async () => {
    const { calls, options } = await table();
    const crisis = new DynamoCrisisStore(options);
    const first = await crisis.get();
    expect(await crisis.set({ on: true, since: '2026-12-02T10:00:00.000Z', by: 'test', why: 'storm' }, first.version)).toBe(true);
    // The same expected version again: someone else already moved it on.
    expect(await crisis.set({ on: false, since: '2026-12-02T10:01:00.000Z', by: 'test', why: 'late' }, first.version)).toBe(false);
    expect((await crisis.get()).on).toBe(true);
    const reads = calls.flatMap((call) => call.reads);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((read) => read.partition === 'CRISIS' && read.index === undefined)).toBe(true);
  });

  it('names a command it does not implement', async () => {
    const { engine } = await table();
    class ScanCommand {
      input = { TableName: 'foghorn' };
    }
    await expect(engine.send(new ScanCommand())).rejects.toThrow("the capacity model's DynamoDB does not implement ScanCommand");
  });
});
