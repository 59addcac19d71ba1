import { type ActionCommand, actionCommandId } from '../core/action-command.js';
import type { CanonicalEvent } from '../core/event.js';
import { markRepublished } from '../core/event.js';
import { type PollDependencies, pollOnce } from '../core/poll.js';
import type { AuditRecord, CommandQueue, CursorStore } from '../core/ports.js';
import { missingSettings } from '../core/settings.js';
import { type ListeningPoll, ListeningRateLimitError, type ListeningSource } from './source.js';

/**
 * The reliable part of listening, around one poll of one source (core/poll.ts does the reading, storing and
 * cursor): whether the source is due (its `every`), backing off after a 429 until the platform's reset time, and
 * its health. A source that fails is never dropped silently: its status (failures in a row, the last error) is
 * stored for /health, each failure is audited, and after `alertAfter` failures in a row its `escalate` target is
 * told once per streak, through the actions queue like any escalation.
 */

export interface ListenDependencies extends PollDependencies {
  /** The audit log: failures and recoveries are recorded there. */
  audit?: { record(entry: AuditRecord): Promise<void> };
  /** The actions queue, for the escalation after `alertAfter` failures. */
  commands?: CommandQueue;
}

/** What is kept per source between polls, beside its cursor. */
export interface ListenStatusRecord {
  lastPolledAt?: string;
  lastOkAt?: string;
  /** Failures in a row; 0 after a poll that worked. */
  failures: number;
  /** When the current run of failures began. */
  failingSince?: string;
  lastError?: string;
  lastErrorAt?: string;
  /** After a 429: no read before this time. */
  retryAt?: string;
  /** Settings the source cannot poll without, when they are missing. */
  missing?: string[];
}

export type ListenState = 'ok' | 'failing' | 'backing-off' | 'not-configured' | 'never-polled';

/** A source's health, as /health and the console show it. */
export interface ListenStatus extends ListenStatusRecord {
  source: string;
  type: string;
  every: string;
  state: ListenState;
}

export interface ListenReport {
  source: string;
  type: string;
  status: 'polled' | 'not-due' | 'backing-off' | 'not-configured' | 'failed';
  events: number;
  created: number;
  quarantined: number;
  error?: string;
  retryAt?: string;
  missing?: string[];
}

/** A scheduled run this close to the source's next time counts as on time (schedules drift by a few seconds). */
const DUE_SLACK_MS = 5_000;

export function listenStatusKey(id: string): string {
  return `listen-status:${id}`;
}

export async function readListenStatus(cursors: CursorStore, id: string): Promise<ListenStatusRecord> {
  const text = await cursors.get(listenStatusKey(id));
  if (!text) return { failures: 0 };
  try {
    const parsed = JSON.parse(text) as ListenStatusRecord;
    return { ...parsed, failures: typeof parsed.failures === 'number' ? parsed.failures : 0 };
  } catch {
    return { failures: 0 };
  }
}

/** Every source's health, in config order. */
export async function listenStatuses(sources: readonly ListeningSource[], cursors: CursorStore, now: Date): Promise<ListenStatus[]> {
  return Promise.all(
    sources.map(async (source) => {
      const record = await readListenStatus(cursors, source.config.id);
      return { source: source.config.id, type: source.config.type, every: source.config.every, ...record, state: stateOf(record, now) };
    }),
  );
}

function stateOf(record: ListenStatusRecord, now: Date): ListenState {
  if (record.retryAt && Date.parse(record.retryAt) > now.getTime()) return 'backing-off';
  if (record.failures > 0) return 'failing';
  if (record.missing && record.missing.length > 0) return 'not-configured';
  return record.lastOkAt ? 'ok' : 'never-polled';
}

/**
 * Polls `source` when it is due (always when `force`, as the local per-source schedule does, but never inside a
 * backoff) and records how it went. Never throws for the source's own failure: the report says `failed`.
 */
export async function listenOnce(source: ListeningSource, deps: ListenDependencies, { force = false } = {}): Promise<ListenReport> {
  const { id, type } = source.config;
  const now = deps.clock.now();
  const previous = await readListenStatus(deps.cursors, id);
  const none = { source: id, type, events: 0, created: 0, quarantined: 0 };
  if (previous.retryAt && Date.parse(previous.retryAt) > now.getTime())
    return { ...none, status: 'backing-off', retryAt: previous.retryAt };
  const dueAt = previous.lastPolledAt ? Date.parse(previous.lastPolledAt) + source.config.everyMs : 0;
  if (!force && dueAt > now.getTime() + DUE_SLACK_MS) return { ...none, status: 'not-due' };

  const missing = missingSettings(deps.settings, source.settingsRequired);
  if (missing.length > 0) {
    await write(deps.cursors, id, { ...withoutBackoff(previous), missing }, now);
    return { ...none, status: 'not-configured', missing };
  }
  const { missing: _missing, ...clean } = withoutBackoff(previous);
  let partial: Pick<ListeningPoll, 'problems' | 'retryAfterMs'> = {};
  const recorded: ListeningSource = {
    ...source,
    poll: async (cursor, context) => {
      const result = await source.poll(cursor, context);
      partial = {
        ...(result.problems ? { problems: result.problems } : {}),
        ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
      };
      return result;
    },
  };
  try {
    const report = await pollOnce(recorded, deps);
    if (partial.problems && partial.problems.length > 0) {
      // What was read is stored and the cursor moved on; the part that failed is reported as the source's failure.
      const failed = await recordFailure(source, deps, clean, now, partial.problems.join('; '), partial.retryAfterMs);
      return { ...none, ...failed, events: report.events, created: report.created, quarantined: report.quarantined };
    }
    await write(deps.cursors, id, { lastPolledAt: now.toISOString(), lastOkAt: now.toISOString(), failures: 0 }, now);
    if (previous.failures > 0)
      await deps.audit?.record(auditEntry(source, now, 'listen.recovered', `polled again after ${previous.failures} failure(s)`, {}));
    return { ...none, status: 'polled', events: report.events, created: report.created, quarantined: report.quarantined };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const retryAfterMs = error instanceof ListeningRateLimitError ? error.retryAfterMs : undefined;
    return { ...none, ...(await recordFailure(source, deps, clean, now, message, retryAfterMs)) };
  }
}

/** Stores, audits and (after `alertAfter` in a row) escalates one failed poll of `source`. */
async function recordFailure(
  source: ListeningSource,
  deps: ListenDependencies,
  clean: ListenStatusRecord,
  now: Date,
  message: string,
  retryAfterMs: number | undefined,
): Promise<Pick<ListenReport, 'status' | 'error' | 'retryAt'>> {
  const { id } = source.config;
  const failures = clean.failures + 1;
  const retryAt = retryAfterMs !== undefined && retryAfterMs > 0 ? new Date(now.getTime() + retryAfterMs).toISOString() : undefined;
  const failingSince = clean.failingSince ?? now.toISOString();
  await write(
    deps.cursors,
    id,
    {
      ...clean,
      lastPolledAt: now.toISOString(),
      failures,
      failingSince,
      lastError: message,
      lastErrorAt: now.toISOString(),
      ...(retryAt ? { retryAt } : {}),
    },
    now,
  );
  await deps.audit?.record(auditEntry(source, now, 'listen.failed', message, { failures, ...(retryAt ? { retryAt } : {}) }));
  const { alertAfter, escalate } = source.config;
  if (alertAfter !== undefined && escalate !== undefined && failures === alertAfter)
    await escalateFailing(source, deps, { failures, failingSince, message, target: escalate, now });
  return { status: 'failed', error: message, ...(retryAt ? { retryAt } : {}) };
}

function withoutBackoff(record: ListenStatusRecord): ListenStatusRecord {
  const { retryAt: _retryAt, ...rest } = record;
  return rest;
}

async function write(cursors: CursorStore, id: string, record: ListenStatusRecord, now: Date): Promise<void> {
  await cursors.put(listenStatusKey(id), JSON.stringify(record), now);
}

function auditEntry(source: ListeningSource, now: Date, what: string, why: string, detail: Record<string, unknown>): AuditRecord {
  return {
    id: `${what}:${source.config.id}:${now.toISOString()}`,
    at: now.toISOString(),
    kind: 'listen',
    what,
    who: 'foghorn',
    why,
    detail: { source: source.config.id, type: source.config.type, ...detail },
  };
}

/**
 * The escalation after `alertAfter` failures in a row: a `system` event (`meta.notice: listen.failing`, so rules
 * see it too and no reply answers it) and one escalate command for it, both keyed by the streak's start so a
 * retried poll run tells the target once.
 */
async function escalateFailing(
  source: ListeningSource,
  deps: ListenDependencies,
  streak: { failures: number; failingSince: string; message: string; target: string; now: Date },
): Promise<void> {
  const { id, type } = source.config;
  const at = streak.now.toISOString();
  const summary = `Listening source ${id} (${type}) failed ${streak.failures} times in a row since ${streak.failingSince}: ${streak.message}`;
  const event: CanonicalEvent = {
    id: `listen:${id}:failing:${streak.failingSince}`,
    platform: 'listen',
    kind: 'system',
    text: summary,
    author: { id: 'foghorn', name: 'Foghorn' },
    channel: { id: `listen:${id}` },
    thread: {},
    createdAt: at,
    receivedAt: at,
    meta: { notice: 'listen.failing', source: id, failures: streak.failures },
  };
  const stored = await deps.store.putIfAbsent(event);
  if (!stored.published) await deps.publisher.publish([stored.created ? event : markRepublished(event)]);
  const ruleId = `listen:${id}`;
  const command: ActionCommand = {
    id: actionCommandId(event.id, ruleId, 0),
    eventId: event.id,
    ruleId,
    index: 0,
    type: 'escalate',
    params: { target: streak.target, severity: 'high', summary, incident: `foghorn:listen:${id}` },
    event,
    createdAt: at,
  };
  await deps.commands?.send([command]);
}
