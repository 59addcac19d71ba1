import { type CanonicalEvent, isRepublished } from '../../functions/core/event.js';
import type { IngestDependencies } from '../../functions/core/ingest.js';
import type { EventPublisher } from '../../functions/core/ports.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { connectorFor, connectors } from '../../functions/platforms/index.js';
import type { EmbeddedDynamo } from '../../functions/storage/dynamo/embedded.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';

/**
 * The bus port, recording what was published: first publications in `published`, and apart from them the
 * events a redelivery published again (marked, so evaluation reads their decision) in `republished`.
 */
export class RecordingPublisher implements EventPublisher {
  readonly published: CanonicalEvent[] = [];
  readonly republished: CanonicalEvent[] = [];
  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    for (const event of events) (isRepublished(event) ? this.republished : this.published).push(event);
  }
}

/** The ingest core wired to every registered connector, a dynalite event store and a recording bus. */
export function ingestHarness(dynamo: EmbeddedDynamo, settings: Record<string, string>, now: Date) {
  const publisher = new RecordingPublisher();
  const store = new DynamoEventStore({ client: dynamo.client, tableName: dynamo.tableName });
  const deps: IngestDependencies = {
    connectorFor,
    knownPlatforms: () => Object.keys(connectors),
    settings: settingsFrom(settings),
    store,
    publisher,
    clock: { now: () => now },
    maxBodyBytes: 256 * 1024,
  };
  return { deps, publisher, store };
}
