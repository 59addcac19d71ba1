import { randomUUID } from 'node:crypto';
import { afterAll, describe } from 'vitest';
import type { TimerStore } from '../../../functions/crisis/ports.js';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../functions/storage/dynamo/embedded.js';
import { DynamoTimerStore } from '../../../functions/storage/dynamo/timer-store.js';
import { timerStoreContract } from '../../crisis/support/store-contracts.js';

describe('DynamoTimerStore (dynalite)', () => {
  // Each test gets a fresh table: the sweep mark and the due index are table-wide.
  const started: EmbeddedDynamo[] = [];
  afterAll(async () => {
    await Promise.all(started.map((dynamo) => dynamo.stop()));
  });
  timerStoreContract(() => lazyStore(started));
});

/** A TimerStore whose table starts on first use (the contract's factories are synchronous). */
function lazyStore(started: EmbeddedDynamo[]): TimerStore {
  let store: Promise<DynamoTimerStore> | undefined;
  const get = () => {
    store ??= startEmbeddedDynamo({ tableName: `timers-${randomUUID().slice(0, 8)}` }).then((dynamo) => {
      started.push(dynamo);
      return new DynamoTimerStore({ client: dynamo.client, tableName: dynamo.tableName });
    });
    return store;
  };
  return {
    put: async (...args) => (await get()).put(...args),
    get: async (...args) => (await get()).get(...args),
    pendingInMinutes: async (...args) => (await get()).pendingInMinutes(...args),
    pendingInConversation: async (...args) => (await get()).pendingInConversation(...args),
    settle: async (...args) => (await get()).settle(...args),
    sweptThrough: async () => (await get()).sweptThrough(),
    setSweptThrough: async (...args) => (await get()).setSweptThrough(...args),
  };
}
