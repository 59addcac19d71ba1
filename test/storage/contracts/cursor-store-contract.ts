import { expect, it } from 'vitest';
import type { CursorStore } from '../../../functions/core/ports.js';

/** What every CursorStore must do, run against the embedded store (lmdb) and the DynamoDB one (dynalite). */
export function cursorStoreContract(make: () => CursorStore): void {
  it('has no cursor for a platform never polled', async () => {
    expect(await make().get('never-polled')).toBeUndefined();
  });

  it('keeps the latest cursor per platform', async () => {
    const cursors = make();
    await cursors.put('reddit', '{"inbox":{"name":"t1_a","created":1}}', new Date('2026-11-22T02:00:00Z'));
    await cursors.put('reddit', '{"inbox":{"name":"t1_b","created":2}}', new Date('2026-11-22T02:01:00Z'));
    await cursors.put('other', 'x', new Date('2026-11-22T02:01:00Z'));
    expect(await cursors.get('reddit')).toBe('{"inbox":{"name":"t1_b","created":2}}');
    expect(await make().get('other')).toBe('x');
  });

  it('says what is missing when used without a platform', async () => {
    await expect(make().get('')).rejects.toThrow(/platform is required/);
    await expect(make().put('', 'x', new Date())).rejects.toThrow(/platform is required/);
  });
}
