/**
 * Where each polled platform stopped reading (an opaque string the platform's Poller writes and reads back).
 * DynamoDB on AWS and in the local runtime (functions/storage/dynamo/cursor-store.ts).
 */
export interface CursorStore {
  get(platform: string): Promise<string | undefined>;
  put(platform: string, cursor: string, now: Date): Promise<void>;
}

/** For tests and tools that need no persistence. */
export class MemoryCursorStore implements CursorStore {
  private readonly cursors = new Map<string, string>();

  async get(platform: string): Promise<string | undefined> {
    return this.cursors.get(platform);
  }

  async put(platform: string, cursor: string): Promise<void> {
    this.cursors.set(platform, cursor);
  }
}
