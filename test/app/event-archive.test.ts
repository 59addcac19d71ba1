import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFolderHeldError, NoArchiveError, readArchivedEvents } from '../../functions/app/event-archive.js';
import { EmbeddedDatabase } from '../../functions/storage/embedded/database.js';
import { EmbeddedEventStore } from '../../functions/storage/embedded/event-store.js';
import { makeEvent } from '../rules/support.js';

const at = (hour: number) => `2026-01-05T${String(hour).padStart(2, '0')}:00:00.000Z`;

/** A data folder whose embedded store holds the given events, closed again (as a stopped runtime leaves it). */
async function dataFolder(events: ReturnType<typeof makeEvent>[]): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-archive-'));
  const database = EmbeddedDatabase.open({ path: join(dataDir, 'embedded') });
  const store = new EmbeddedEventStore({ database });
  // Written in one turn: they share a commit (group commit), so a thousand cost one fsync.
  await Promise.all(events.map((event) => store.putIfAbsent(event)));
  await database.close();
  return dataDir;
}

describe('readArchivedEvents (foghorn events export --data)', () => {
  const events = [
    makeEvent({ id: 'x:3', platform: 'x', receivedAt: at(12) }),
    makeEvent({ id: 'generic:1', platform: 'generic', receivedAt: at(9) }),
    makeEvent({ id: 'generic:2', platform: 'generic', receivedAt: at(11) }),
  ];
  const now = new Date('2026-01-06T00:00:00Z');

  it('reads the stored events oldest first, within the window and platform', async () => {
    const dataDir = await dataFolder(events);
    expect((await readArchivedEvents(dataDir, {}, now)).map((event) => event.id)).toEqual(['generic:1', 'generic:2', 'x:3']);
    expect((await readArchivedEvents(dataDir, { platform: 'generic' }, now)).map((event) => event.id)).toEqual(['generic:1', 'generic:2']);
    expect((await readArchivedEvents(dataDir, { since: at(10), until: at(12) }, now)).map((event) => event.id)).toEqual(['generic:2']);
  });

  it('pages through more events than one page holds', async () => {
    const many = Array.from({ length: 1_203 }, (_, n) =>
      makeEvent({ id: `generic:${n}`, receivedAt: new Date(Date.parse(at(1)) + n * 1000).toISOString() }),
    );
    const read = await readArchivedEvents(await dataFolder(many), {}, now);
    expect(read.map((event) => event.id)).toEqual(many.map((event) => event.id));
  });

  it('leaves out expired events, as the API does', async () => {
    const dataDir = await dataFolder(events);
    expect(await readArchivedEvents(dataDir, {}, new Date('2027-06-01T00:00:00Z'))).toEqual([]);
  });

  it('is refused while a runtime holds the folder, naming the API instead', async () => {
    const dataDir = await dataFolder(events);
    const held = EmbeddedDatabase.open({ path: join(dataDir, 'embedded') });
    try {
      const refused = readArchivedEvents(dataDir, {}, now);
      await expect(refused).rejects.toBeInstanceOf(DataFolderHeldError);
      await expect(refused).rejects.toThrow(`the data folder ${dataDir} is held by a running Foghorn (process ${process.pid})`);
    } finally {
      await held.close();
    }
  });

  it('says when the folder has no embedded store, and points at the dynalite data of an earlier Foghorn', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'foghorn-archive-'));
    await expect(readArchivedEvents(empty, {}, now)).rejects.toThrow(NoArchiveError);
    mkdirSync(join(empty, 'dynamodb'));
    await expect(readArchivedEvents(empty, {}, now)).rejects.toThrow(/dynalite data of an earlier Foghorn .*foghorn data migrate/);
  });
});
