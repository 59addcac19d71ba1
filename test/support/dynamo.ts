import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../functions/storage/dynamo/embedded.js';

/**
 * An in-memory dynalite for the current test file, with Foghorn's table created.
 * Call at the top of a describe block; read `.current` inside tests.
 */
export function useEmbeddedDynamo(): { readonly current: EmbeddedDynamo } {
  const holder: { current?: EmbeddedDynamo } = {};
  beforeAll(async () => {
    holder.current = await startEmbeddedDynamo({ tableName: `test-${randomUUID().slice(0, 8)}` });
  });
  afterAll(async () => {
    await holder.current?.stop();
  });
  return {
    get current() {
      if (!holder.current) throw new Error('useEmbeddedDynamo: the embedded DynamoDB is not started yet (use it inside a test)');
      return holder.current;
    },
  };
}
