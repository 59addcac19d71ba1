import { bucketId, COUNT_FIELDS, emptyBucket } from '../../analytics/figures.js';
import type { AnalyticsBucket, ClockStart, SpikeMark } from '../../analytics/ports.js';
import type { CanonicalEvent } from '../../core/event.js';
import type { ActionRecord, StoredDecision } from '../../core/ports.js';
import type { Approval, AuditEntry, CountedSample, CrisisState, SlaTimer, SpikeEpisode } from '../../crisis/ports.js';
import { SAMPLES_PER_MINUTE } from '../../crisis/ports.js';
import type { StoredMessage } from '../../local/queue-storage.js';
import { dueIndexMinute } from '../dynamo/timer-store.js';
import { EmbeddedApprovalStore } from '../embedded/approval-store.js';
import { EmbeddedAuditLog } from '../embedded/audit-log.js';
import { EmbeddedCursorStore } from '../embedded/cursor-store.js';
import type { EmbeddedDatabase } from '../embedded/database.js';
import { EmbeddedDecisionStore } from '../embedded/decision-store.js';
import { EmbeddedEpisodeStore } from '../embedded/episode-store.js';
import { EmbeddedEventStore } from '../embedded/event-store.js';
import { EmbeddedQueueStorage } from '../embedded/queue-storage.js';
import { EmbeddedTimerStore } from '../embedded/timer-store.js';
import { unpackRawBody } from '../raw-body.js';

/**
 * Maps the items of Foghorn's DynamoDB table (the key layouts of functions/storage/dynamo/*.ts, listed in
 * table.ts) into an embedded database. Each kind goes through the embedded store's own public method where one
 * keeps the record as it was; where none does (a method would restamp it, renumber it or re-encode it), it is
 * written under the keys the embedded store's header documents, never a format of our own:
 *
 *   EVENT#<id>              EmbeddedEventStore.putIfAbsent (event, inline raw payload), then addTags (the set)
 *   RAW#<ref>               raw/<ref> (a payload apart from its event, or an older `raw:` one; putIfAbsent takes only inline ones)
 *   QUARANTINE#<id>         quarantine/<id> and idx/quarantine/… (quarantine() would make a new id and re-encode `detail`)
 *   DECISION#<event>        EmbeddedDecisionStore.putIfAbsent (no outbox: its commands were queued by DynamoDB's runtime)
 *   ACTION#<id>             action/<id> and idx/actions/<createdAt>#<id> (claim/complete would restamp times and attempts);
 *                           the audit lines kept on it (`audit`), EmbeddedAuditLog.record
 *   APPROVAL#<id>           EmbeddedApprovalStore.putIfAbsent (any status: it files the status listing it has)
 *   AUDIT#<id>              EmbeddedAuditLog.record
 *   CRISIS / STATE          crisis/switch, version kept (set() would count again from 1, and audit ids are `crisis:<version>`)
 *   SLA#<id>                EmbeddedTimerStore.put, filed under the same minute as in gsi1 (pending and settled)
 *   SLACONV#…               not copied: the timer store files each pending timer under its conversations itself
 *   SLASWEEP / STATE        EmbeddedTimerStore.setSweptThrough
 *   SPIKE#<rule>            EmbeddedEpisodeStore.open when open; crisis/spike/<rule> when closed (open() would list it as open)
 *   COUNTER#<key> / M#…     crisis/counter/<key>/<minute> (an increment adds one; the store has no put); expired ones are skipped
 *   LIMIT#<key> / SLIDING   rule/<key>/sliding { times, until }
 *   LIMIT#<key> / W#<n>     rule/<key>/fixed { windows (the latest two), until }
 *   CURSOR#<platform>       EmbeddedCursorStore.put
 *   ANALYTICS#<day> / …     analytics/bucket/<bucket id> (add() takes deltas, and a full bucket's histogram is not one),
 *                           written at the end with the exact times its ANALYTICSRT#<day> item (same sort key) holds
 *   ACLOCK#<conversation>   analytics/clock/<conversation> (with its owner note) and analytics/clock-expiry/… ; expired ones are skipped
 *   QUEUE#<name> / <id>     EmbeddedQueueStorage.put (same id, send time and receive count), for the topology's queues
 *   QUEUE#<name> / ~receipts#<id>  EmbeddedQueueStorage.putJournal (the receive it stands for is counted at the next start)
 *
 * Anything else is counted by its key prefix and reported, never dropped silently.
 */
export interface ImportReport {
  /** What was written, per kind. */
  copied: Record<string, number>;
  /** Recognised items not copied, per kind, with why. */
  skipped: Array<{ kind: string; count: number; reason: string }>;
  /** Items of no known layout, per key prefix (the partition key up to its first `#`). */
  unrecognised: Record<string, number>;
}

type Item = Record<string, unknown> & { pk: string; sk: string };

/** Writes in flight at most before waiting: they share commits (group commit) without holding the whole table in memory. */
const IN_FLIGHT = 512;
const FIXED_WINDOWS_KEPT = 2;
const QUEUE_JOURNAL_PREFIX = '~receipts#';

export class DynamoItemImporter {
  private readonly copied = new Map<string, number>();
  private readonly skipped = new Map<string, { count: number; reason: string }>();
  private readonly unrecognised = new Map<string, number>();
  private readonly inFlight: Array<Promise<unknown>> = [];
  private readonly fixedWindows = new Map<string, { windows: Array<[number, number]>; until: number; seen: number }>();
  /** Analytics buckets by `<day>\u0000<sort key>`, written in finish() with the exact times kept apart. */
  private readonly analyticsBuckets = new Map<string, { id: string; bucket: AnalyticsBucket }>();
  private readonly analyticsTimesOf = new Map<string, number[]>();
  private readonly queues: ReadonlySet<string>;
  private readonly events: EmbeddedEventStore;
  private readonly decisions: EmbeddedDecisionStore;
  private readonly approvals: EmbeddedApprovalStore;
  private readonly audit: EmbeddedAuditLog;
  private readonly timers: EmbeddedTimerStore;
  private readonly episodes: EmbeddedEpisodeStore;
  private readonly cursors: EmbeddedCursorStore;
  private readonly queueStorage: EmbeddedQueueStorage;
  private readonly now: Date;
  private sweptThrough: number | undefined;

  constructor(
    private readonly db: EmbeddedDatabase,
    options: { queues: readonly string[]; now: Date },
  ) {
    this.queues = new Set(options.queues);
    this.now = options.now;
    this.events = new EmbeddedEventStore({ database: db });
    this.decisions = new EmbeddedDecisionStore({ database: db });
    this.approvals = new EmbeddedApprovalStore(db);
    this.audit = new EmbeddedAuditLog(db);
    this.timers = new EmbeddedTimerStore(db);
    this.episodes = new EmbeddedEpisodeStore(db);
    this.cursors = new EmbeddedCursorStore({ database: db });
    this.queueStorage = new EmbeddedQueueStorage(db);
  }

  /** Maps one item (unmarshalled); the write it makes may still be in flight. */
  async add(item: Item): Promise<void> {
    this.route(item);
    if (this.inFlight.length >= IN_FLIGHT) await this.settle();
  }

  /** Writes what was gathered across items (fixed windows, the sweep mark), and waits until everything is durable. */
  async finish(): Promise<ImportReport> {
    for (const [key, record] of this.fixedWindows) {
      record.windows.sort((a, b) => b[0] - a[0]);
      const windows = record.windows.slice(0, FIXED_WINDOWS_KEPT);
      this.put(`rule/${key}/fixed`, { windows, until: record.until }, 'rule limits (fixed windows)');
      if (record.seen > windows.length)
        this.skip('rule limit windows', record.seen - windows.length, 'older than the two latest windows the embedded store keeps');
    }
    if (this.sweptThrough !== undefined) this.track('SLA sweep mark (sweptThrough)', this.timers.setSweptThrough(this.sweptThrough));
    for (const [at, { id, bucket }] of this.analyticsBuckets) {
      const times = this.analyticsTimesOf.get(at) ?? [];
      this.analyticsTimesOf.delete(at);
      this.put(`analytics/bucket/${id}`, { ...bucket, responseMs: [...bucket.responseMs, ...times] }, 'analytics buckets');
    }
    if (this.analyticsTimesOf.size > 0)
      this.skip('analytics exact times', this.analyticsTimesOf.size, "their bucket's counts are not in the table (its histogram has them)");
    await this.settle();
    await this.db.flushStaged();
    return {
      copied: Object.fromEntries([...this.copied].sort(([a], [b]) => a.localeCompare(b))),
      skipped: [...this.skipped].map(([kind, { count, reason }]) => ({ kind, count, reason })),
      unrecognised: Object.fromEntries([...this.unrecognised].sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  private route(item: Item): undefined {
    const { pk, sk } = item;
    if (typeof pk !== 'string' || typeof sk !== 'string') return this.unknown(String(pk));
    const [prefix = pk, ...rest] = pk.split('#');
    const name = rest.join('#');
    switch (prefix) {
      case 'EVENT':
        return sk === 'EVENT' ? this.event(item) : this.unknown(pk);
      case 'RAW':
        return sk === 'RAW' ? this.raw(name, item) : this.unknown(pk);
      case 'QUARANTINE':
        return sk === 'QUARANTINE' ? this.quarantine(item) : this.unknown(pk);
      case 'DECISION':
        return sk === 'DECISION' ? this.track('decisions', this.decisions.putIfAbsent(item.decision as StoredDecision)) : this.unknown(pk);
      case 'ACTION':
        return sk === 'ACTION' ? this.action(item) : this.unknown(pk);
      case 'APPROVAL':
        return sk === 'APPROVAL' ? this.approval(item) : this.unknown(pk);
      case 'AUDIT':
        return sk === 'AUDIT' ? this.track('audit entries', this.audit.record(stripKeys(item) as unknown as AuditEntry)) : this.unknown(pk);
      case 'CRISIS':
        return pk === 'CRISIS' && sk === 'STATE' ? this.crisisState(item) : this.unknown(pk);
      case 'SLA':
        return sk === 'TIMER' ? this.timer(item) : this.unknown(pk);
      case 'SLACONV':
        return this.skip('SLA conversation entries', 1, 'rebuilt by the embedded timer store from each pending timer');
      case 'SLASWEEP':
        if (pk !== 'SLASWEEP' || sk !== 'STATE') return this.unknown(pk);
        this.sweptThrough = Math.max(this.sweptThrough ?? Number.NEGATIVE_INFINITY, Number(item.minute));
        return;
      case 'SPIKE':
        return sk === 'EPISODE' ? this.episode(item) : this.unknown(pk);
      case 'COUNTER':
        return sk.startsWith('M#') ? this.counter(name, item) : this.unknown(pk);
      case 'LIMIT':
        return this.limit(name, item);
      case 'CURSOR':
        return sk === 'CURSOR' ? this.cursor(name, item) : this.unknown(pk);
      case 'ANALYTICS':
        return this.analyticsBucket(item);
      case 'ANALYTICSRT':
        return this.analyticsTimes(name, item);
      case 'ACLOCK':
        return sk === 'CLOCK' ? this.clock(name, item) : this.unknown(pk);
      case 'QUEUE':
        return this.queueItem(name, item);
      default:
        return this.unknown(pk);
    }
  }

  private event(item: Item): undefined {
    const event = item.event as CanonicalEvent;
    const raw = item.raw as { platform: string; body: Uint8Array; receivedAt: string; encoding?: string } | undefined;
    const added = item.tags instanceof Set ? [...(item.tags as Set<string>)] : [];
    // Unpacked here, packed again by the embedded store.
    const payload = raw
      ? { platform: raw.platform, body: unpackRawBody(raw.body, raw.encoding), receivedAt: new Date(raw.receivedAt) }
      : undefined;
    const stored = this.events.putIfAbsent(event, payload);
    this.track('events', stored);
    if (payload) this.count('raw payloads (with their event)');
    if (added.length > 0)
      this.track(
        'events with tags added',
        stored.then(() => this.events.addTags(event.id, added)),
      );
  }

  private raw(ref: string, item: Item): undefined {
    if (!(item.body instanceof Uint8Array)) return this.skip('raw payloads', 1, 'no body');
    this.put(
      `raw/${ref}`,
      { platform: item.platform, body: item.body, receivedAt: item.receivedAt, ...(item.encoding ? { encoding: item.encoding } : {}) },
      'raw payloads (apart from their event)',
    );
  }

  private quarantine(item: Item): undefined {
    const id = String(item.id);
    const receivedAt = String(item.receivedAt);
    const record = {
      id,
      platform: item.platform,
      reason: item.reason,
      ...(typeof item.detail === 'string' ? { detail: item.detail } : {}),
      raw: item.raw instanceof Uint8Array ? item.raw : new Uint8Array(),
      ...(item.rawEncoding ? { rawEncoding: item.rawEncoding } : {}),
      receivedAt,
    };
    this.write('quarantined deliveries', (tx) => {
      tx.put(`quarantine/${id}`, record);
      tx.put(`idx/quarantine/${receivedAt}#${id}`, id);
    });
  }

  private action(item: Item): undefined {
    const record: ActionRecord & { leaseUntil?: number } = {
      id: String(item.id),
      eventId: String(item.eventId),
      ruleId: String(item.ruleId),
      type: String(item.type),
      status: item.status as ActionRecord['status'],
      attempts: Number(item.attempts ?? 0),
      createdAt: String(item.createdAt),
      updatedAt: String(item.updatedAt ?? item.createdAt),
    };
    // The completion writes null for what an outcome lacks.
    if (item.mode) record.mode = item.mode as ActionRecord['mode'];
    if (item.request) record.request = item.request as ActionRecord['request'];
    if (item.externalId) record.externalId = String(item.externalId);
    if (item.error) record.error = String(item.error);
    if (record.status === 'in-progress' && typeof item.leaseUntil === 'number') record.leaseUntil = item.leaseUntil;
    this.write(`actions (${record.status})`, (tx) => {
      tx.put(`action/${record.id}`, record);
      tx.put(`idx/actions/${record.createdAt}#${record.id}`, record.id);
    });
    for (const entry of Array.isArray(item.audit) ? (item.audit as unknown as AuditEntry[]) : [])
      this.track('audit entries', this.audit.record(entry));
  }

  private approval(item: Item): undefined {
    const approval = stripKeys(item) as unknown as Approval;
    this.track(`approvals (${approval.status})`, this.approvals.putIfAbsent(approval));
  }

  private crisisState(item: Item): undefined {
    // Its version too: each switch's audit id is `crisis:<version>`, so a store counting again from 1 would find
    // the next switch's id already recorded and drop its audit line. EmbeddedCrisisStore.set only counts from the version it finds.
    const state = stripKeys(item) as unknown as CrisisState;
    this.put('crisis/switch', { ...withoutUndefined(state), version: Number(state.version ?? 0) }, 'crisis switch');
  }

  private timer(item: Item): undefined {
    const timer = stripKeys(item) as unknown as SlaTimer;
    // Filed where DynamoDB filed it (gsi1 `SLADUE#<minute>#<shard>` while pending): filingMinute(timer, now) is that minute.
    const filed = typeof item.gsi1pk === 'string' ? dueIndexMinute(item.gsi1pk) : undefined;
    const now = filed === undefined ? this.now : new Date(filed * 60_000);
    this.track(`SLA timers (${timer.status === 'pending' ? 'pending' : 'settled'})`, this.timers.put(timer, now));
  }

  private episode(item: Item): undefined {
    const episode = stripKeys(item) as unknown as SpikeEpisode;
    if (episode.status === 'open') return this.track('spike episodes (open)', this.episodes.open(episode));
    this.put(`crisis/spike/${encodeURIComponent(episode.ruleId)}`, episode, 'spike episodes (closed)');
  }

  private counter(key: string, item: Item): undefined {
    const expiresAt = Number(item.ttl) * 1000;
    if (!(expiresAt > this.now.getTime())) return this.skip('spike counter minutes', 1, 'expired (past their retention)');
    const minute = Number(item.sk.slice(2));
    const slots = Array.from({ length: SAMPLES_PER_MINUTE }, (_, slot) => (item[`sample${slot}`] as CountedSample | undefined) ?? null);
    const bucketKey = `crisis/counter/${encodeURIComponent(key)}/${String(Math.max(0, minute)).padStart(10, '0')}`;
    this.put(bucketKey, { count: Number(item.count ?? 0), expiresAt, slots }, 'spike counter minutes');
  }

  private limit(key: string, item: Item): undefined {
    const until = Number(item.ttl) * 1000;
    if (item.sk === 'SLIDING') {
      const times = Array.isArray(item.times) ? item.times.map(Number) : [];
      return this.put(`rule/${key}/sliding`, { times, until }, 'rule limits (sliding windows)');
    }
    if (!item.sk.startsWith('W#')) return this.unknown(item.pk);
    const record = this.fixedWindows.get(key) ?? { windows: [], until: 0, seen: 0 };
    record.windows.push([Number(item.sk.slice(2)), Number(item.count ?? 0)]);
    record.until = Math.max(record.until, until);
    record.seen += 1;
    this.fixedWindows.set(key, record);
  }

  private cursor(platform: string, item: Item): undefined {
    const updatedAt = typeof item.updatedAt === 'string' ? new Date(item.updatedAt) : this.now;
    this.track('poll cursors', this.cursors.put(platform, String(item.cursor), updatedAt));
  }

  private analyticsBucket(item: Item): undefined {
    if (typeof item.hour !== 'string') return this.unknown(item.pk);
    const key = {
      hour: item.hour,
      platform: String(item.platform),
      channel: String(item.channel),
      lang: String(item.lang),
      // The owner a first response counted for (by team and by person), when the bucket has one.
      ...(typeof item.person === 'string' ? { person: item.person } : {}),
      ...(typeof item.team === 'string' ? { team: item.team } : {}),
    };
    // As DynamoAnalyticsStore reads a bucket back (bucketOf): counts, `rt#<bin>` histogram, `hit#<rule>` hits.
    const bucket: AnalyticsBucket = emptyBucket(key);
    for (const field of COUNT_FIELDS) bucket[field] = typeof item[field] === 'number' ? (item[field] as number) : 0;
    bucket.responseMs = Array.isArray(item.responseMs) ? (item.responseMs as number[]) : [];
    bucket.spikes = Array.isArray(item.spikes) ? (item.spikes as SpikeMark[]) : [];
    for (const [attribute, value] of Object.entries(item)) {
      if (typeof value !== 'number') continue;
      if (attribute.startsWith('rt#')) bucket.histogram[attribute.slice(3)] = value;
      else if (attribute.startsWith('hit#')) bucket.ruleHits[attribute.slice(4)] = value;
    }
    // Written at the end: its exact times kept apart may come later in the scan.
    this.analyticsBuckets.set(`${item.pk.slice('ANALYTICS#'.length)}\u0000${item.sk}`, { id: bucketId(key), bucket });
  }

  private analyticsTimes(day: string, item: Item): undefined {
    const times = Array.isArray(item.responseMs) ? (item.responseMs as number[]) : [];
    this.analyticsTimesOf.set(`${day}\u0000${item.sk}`, times);
  }

  private clock(conversation: string, item: Item): undefined {
    const expiresAt = Number(item.ttl) * 1000;
    if (!(expiresAt > this.now.getTime())) return this.skip('analytics clocks', 1, 'expired (past their retention)');
    const record: {
      running?: ClockStart;
      answeredAt?: number;
      owner?: { person?: string; team?: string; since: number };
      expiresAt: number;
    } = { expiresAt };
    if (typeof item.openedAt === 'number') {
      record.running = {
        conversation,
        messageId: String(item.messageId ?? ''),
        at: item.openedAt,
        platform: String(item.platform ?? ''),
        channel: String(item.channel ?? ''),
        lang: String(item.lang ?? ''),
      };
    }
    if (typeof item.answeredAt === 'number') record.answeredAt = item.answeredAt;
    if (typeof item.ownerSince === 'number')
      record.owner = {
        ...(typeof item.ownerPerson === 'string' ? { person: item.ownerPerson } : {}),
        ...(typeof item.ownerTeam === 'string' ? { team: item.ownerTeam } : {}),
        since: item.ownerSince,
      };
    this.write('analytics clocks', (tx) => {
      tx.put(`analytics/clock/${conversation}`, record);
      tx.put(`analytics/clock-expiry/${String(Math.max(0, expiresAt)).padStart(15, '0')}/${conversation}`, true);
    });
  }

  private queueItem(queue: string, item: Item): undefined {
    if (!this.queues.has(queue)) return this.skip(`queue ${queue}`, 1, 'not a queue of the topology');
    if (item.sk.startsWith(QUEUE_JOURNAL_PREFIX)) {
      const messageIds = item.ids instanceof Set ? [...(item.ids as Set<string>)] : [];
      const journal = { id: item.sk.slice(QUEUE_JOURNAL_PREFIX.length), messageIds };
      return this.track(`queue ${queue}: receive journals`, this.queueStorage.putJournal(queue, journal));
    }
    if (typeof item.body !== 'string') return this.skip(`queue ${queue}`, 1, 'a message without a body');
    const message: StoredMessage = {
      id: item.sk,
      body: item.body,
      sentAt: Number(item.sentAt ?? 0),
      receiveCount: Number(item.receiveCount ?? 0),
      ...(typeof item.firstReceivedAt === 'number' ? { firstReceivedAt: item.firstReceivedAt } : {}),
    };
    const [written] = this.queueStorage.put(queue, [message]);
    this.track(`queue ${queue}: ${queue.endsWith('-dlq') ? 'dead letters' : 'pending messages'}`, written ?? Promise.resolve());
  }

  private put(key: string, value: unknown, kind: string): undefined {
    this.write(kind, (tx) => tx.put(key, value));
  }

  private write(kind: string, fn: Parameters<EmbeddedDatabase['write']>[0]): undefined {
    this.track(kind, this.db.write(fn));
  }

  private track(kind: string, written: Promise<unknown>): undefined {
    this.count(kind);
    this.inFlight.push(written);
  }

  private count(kind: string): undefined {
    this.copied.set(kind, (this.copied.get(kind) ?? 0) + 1);
  }

  private skip(kind: string, count: number, reason: string): undefined {
    const entry = this.skipped.get(kind) ?? { count: 0, reason };
    entry.count += count;
    this.skipped.set(kind, entry);
  }

  private unknown(pk: string): undefined {
    const prefix = pk.split('#')[0] || pk;
    this.unrecognised.set(prefix, (this.unrecognised.get(prefix) ?? 0) + 1);
  }

  private async settle(): Promise<void> {
    const outcomes = await Promise.allSettled(this.inFlight.splice(0));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** The item without the table's own attributes (keys, index keys, ttl). */
function stripKeys(item: Item): Record<string, unknown> {
  const { pk: _pk, sk: _sk, gsi1pk: _gpk, gsi1sk: _gsk, gsi2pk: _g2pk, gsi2sk: _g2sk, ttl: _ttl, ...rest } = item;
  return rest;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
