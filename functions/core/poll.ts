import type { Poller } from './connector.js';
import { type CanonicalEvent, canonicalEventSchema, markRepublished } from './event.js';
import type { OutboundRequest, OutboundResponse } from './http.js';
import { type Clock, type CursorStore, type EventPublisher, type EventStore, rawRefOf } from './ports.js';
import { missingSettings, type Settings } from './settings.js';

export interface PollDependencies {
  cursors: CursorStore;
  store: EventStore;
  publisher: EventPublisher;
  settings: Settings;
  /** Reads always go out for real: sandbox mode is about what Foghorn says, not what it reads. */
  send: (request: OutboundRequest) => Promise<OutboundResponse>;
  clock: Clock;
}

export interface PollReport {
  platform: string;
  status: 'polled' | 'not-configured';
  /** Events the poll read. */
  events: number;
  /** Of those, events not seen before. */
  created: number;
  quarantined: number;
  missing?: string[];
}

/**
 * One poll of one platform, into the same pipeline as a webhook: each event is stored once with its raw
 * payload (one conditional put on its id), published, and only then is the cursor moved on, so a crash in
 * between makes the next poll read the same items again, which the store recognises and publishes again
 * (marked, as ingest does: evaluation reads their decision first).
 */
export async function pollOnce(poller: Poller, deps: PollDependencies): Promise<PollReport> {
  const { platform } = poller;
  const missing = missingSettings(deps.settings, poller.settingsRequired);
  if (missing.length > 0) return { platform, status: 'not-configured', events: 0, created: 0, quarantined: 0, missing };

  const now = deps.clock.now();
  const cursor = await deps.cursors.get(platform);
  const result = await poller.poll(cursor, { settings: deps.settings, now, send: deps.send });

  const toPublish: CanonicalEvent[] = [];
  let created = 0;
  let quarantined = 0;
  for (const candidate of result.events) {
    const raw = result.raw?.get(candidate.id);
    const withRef = raw && !candidate.raw ? { ...candidate, raw: { ref: rawRefOf(candidate.id) } } : candidate;
    const parsed = canonicalEventSchema.safeParse(withRef);
    if (!parsed.success) {
      await deps.store.quarantine({
        platform,
        reason: `polled item ${candidate.id} is not a valid event`,
        detail: parsed.error.issues,
        // Without the platform's bytes, what the poller made of them is what there is to inspect.
        raw: raw ?? Buffer.from(JSON.stringify(candidate)),
        receivedAt: now,
      });
      quarantined++;
      continue;
    }
    const stored = await deps.store.putIfAbsent(parsed.data, raw ? { platform, body: raw, receivedAt: now } : undefined);
    if (stored.created) created++;
    if (!stored.published) toPublish.push(stored.created ? parsed.data : markRepublished(parsed.data));
  }
  for (const item of result.rejected ?? []) {
    await deps.store.quarantine({ platform, reason: item.reason, detail: item.detail, raw: item.raw, receivedAt: now });
    quarantined++;
  }
  if (toPublish.length > 0) await deps.publisher.publish(toPublish);
  if (result.cursor !== undefined && result.cursor !== cursor) await deps.cursors.put(platform, result.cursor, now);
  return { platform, status: 'polled', events: result.events.length, created, quarantined };
}
