import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { ActionCommand } from '../../functions/core/action-command.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import type { AuditRecord } from '../../functions/core/ports.js';
import { type Settings, settingsFrom } from '../../functions/core/settings.js';
import { type ListenSourceConfig, parseListenSection } from '../../functions/listening/config.js';
import type { ListenDependencies } from '../../functions/listening/listen.js';
import { EmbeddedCursorStore } from '../../functions/storage/embedded/cursor-store.js';
import { EmbeddedDatabase } from '../../functions/storage/embedded/database.js';
import { EmbeddedEventStore } from '../../functions/storage/embedded/event-store.js';
import { sendOutbound } from '../support/fake-platform-api.js';
import type { ReceivedRequest } from '../support/loopback.js';

/** A fixture of a source type, as the API's documentation shows it (the file names its page). */
export function fixtureText(type: string, name: string): string {
  return readFileSync(join(import.meta.dirname, type, 'fixtures', name), 'utf8');
}

/** The query parameters of a request the fake API received (empty when there was none). */
export function query(request: ReceivedRequest | undefined): Record<string, string> {
  return Object.fromEntries(new URL(request?.url ?? '/', 'http://x').searchParams);
}

/** One source's config as the `listen:` section parses it (so the tests use the validated form). */
export function sourceConfig(entry: Record<string, unknown>): ListenSourceConfig {
  const [config] = parseListenSection([entry]);
  if (!config) throw new Error('no source parsed');
  return config;
}

/** An embedded database of the test's own (each test starts with an empty store), removed when it ends. */
export function testDatabase(): EmbeddedDatabase {
  const folder = mkdtempSync(join(tmpdir(), 'foghorn-listen-'));
  const database = EmbeddedDatabase.open({ path: folder });
  onTestFinished(async () => {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  });
  return database;
}

/** The real embedded stores (the test's own), a recording bus, audit and actions queue, and a clock a test moves. */
export function listenHarness(options: { now: Date; settings?: Settings }) {
  const database = testDatabase();
  const published: CanonicalEvent[] = [];
  const audit: AuditRecord[] = [];
  const commands: ActionCommand[] = [];
  const clock = { current: options.now, now: () => clock.current };
  // As the local runtime keeps it: the store is its own outbox, so a duplicate is dropped rather than published again.
  const store = new EmbeddedEventStore({ database, outbox: (_tx, event) => void published.push(event) });
  const cursors = new EmbeddedCursorStore({ database });
  const deps: ListenDependencies = {
    cursors,
    store,
    publisher: { publish: async (events) => void published.push(...events) },
    settings: options.settings ?? settingsFrom({}),
    send: sendOutbound,
    clock,
    audit: { record: async (entry) => void audit.push(entry) },
    commands: { send: async (sent) => void commands.push(...sent) },
  };
  return { deps, store, cursors, published, audit, commands, clock };
}
