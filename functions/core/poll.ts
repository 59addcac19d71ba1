import type { Poller } from './connector.js';
import { type CanonicalEvent, canonicalEventSchema } from './event.js';
import type { OutboundRequest, OutboundResponse } from './http.js';
import type { Clock, CursorStore, EventPublisher, EventStore } from './ports.js';
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
 * One poll of one platform, into the same pipeline as a webhook: each event is stored once (conditional
 * put on its id) with its raw payload, published, and only then is the cursor moved on, so a crash in
 * between makes the next poll read the same items again, which the store recognises.
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
    const rawRef = raw ? await deps.store.putRaw(platform, raw, now) : undefined;
    const parsed = canonicalEventSchema.safeParse(rawRef && !candidate.raw ? { ...candidate, raw: { ref: rawRef } } : candidate);
    if (!parsed.success) {
      await deps.store.quarantine({
        platform,
        reason: `polled item ${candidate.id} is not a valid event`,
        detail: parsed.error.issues,
        rawRef: rawRef ?? 'none',
        receivedAt: now,
      });
      quarantined++;
      continue;
    }
    const stored = await deps.store.putIfAbsent(parsed.data);
    if (stored.created) created++;
    if (stored.created || !stored.published) toPublish.push(parsed.data);
  }
  for (const item of result.rejected ?? []) {
    const rawRef = await deps.store.putRaw(platform, item.raw, now);
    await deps.store.quarantine({ platform, reason: item.reason, detail: item.detail, rawRef, receivedAt: now });
    quarantined++;
  }
  if (toPublish.length > 0) {
    await deps.publisher.publish(toPublish);
    await Promise.all(toPublish.map((event) => deps.store.markPublished(event.id)));
  }
  if (result.cursor !== undefined && result.cursor !== cursor) await deps.cursors.put(platform, result.cursor, now);
  return { platform, status: 'polled', events: result.events.length, created, quarantined };
}
