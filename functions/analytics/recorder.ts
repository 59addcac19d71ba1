import type { ActionCommand } from '../core/action-command.js';
import type { CanonicalEvent, EventKind } from '../core/event.js';
import { APPROVAL_PARAM } from '../crisis/approvals.js';
import { answeredConversations, isOwnAnswer, ticketConversation, waitingConversations } from '../crisis/conversation.js';
import type { SpikeEpisode } from '../crisis/ports.js';
import { hourOf, mergeDeltas } from './figures.js';
import type { AnalyticsDelta, AnalyticsStore, BucketKey, OwnerNote } from './ports.js';

/**
 * What the pipeline's steps mean for the figures, as it runs:
 * - an event's first decision counts a customer's message (inbound, and its conversation's clock starts unless one
 *   runs), an answer by a connected account (a person: a human answer; Foghorn's own post seen again only stops
 *   clocks), an SLA breach (a `sla.breached` event of the crisis sweep), and the rules the decision listed;
 * - a reply Foghorn completed (live or sandboxed) is an answer: automated, or human when a person approved it;
 * - a spike episode's start and end mark the hours they happened in.
 * Clocks change at once (before the decision's commands can run, so a reply always finds its clock); counts are
 * collected in `pending` and added once per stage call (`add`), one write per bucket.
 * Cost per event: one clock start or stop (a staged operation on the embedded store, a conditional update on
 * DynamoDB) and a share of one bucket write per batch.
 */
export interface AnalyticsRecorderOptions {
  store: AnalyticsStore;
  /** The response target in force (`analytics.responseTarget`), in milliseconds. */
  responseTargetMs(): number;
}

/** Kinds a customer writes to the brand; reactions, platform notices and breaches are not messages that wait. */
const CUSTOMER_KINDS: ReadonlySet<EventKind> = new Set(['message', 'mention', 'comment', 'reply', 'review', 'dm', 'post']);

/** The language of a bucket when the event has none. */
export const UNKNOWN_LANGUAGE = 'und';

export class AnalyticsRecorder {
  constructor(private readonly options: AnalyticsRecorderOptions) {
    if (!options?.store) throw new Error('AnalyticsRecorder: store is required');
  }

  /**
   * An event's first decision (a duplicate or a redelivery never reaches here: the decision store said created).
   * `source` names the change being folded when it may be folded again (a replayed stream record): see ClockStop.
   */
  async decided(event: CanonicalEvent, rules: readonly string[], pending: AnalyticsDelta[], source?: string): Promise<void> {
    const at = writtenAt(event);
    const key = bucketKeyOf(event, at);
    if (rules.length > 0) pending.push({ ...key, ruleHits: Object.fromEntries(countRules(rules)) });
    if (event.kind === 'sla.breached') {
      pending.push({ ...key, slaBreaches: 1 });
      return;
    }
    if (isOwnAnswer(event)) {
      const conversations = answeredConversations(event);
      if (conversations.length === 0) return;
      // Foghorn's own reply seen again on the platform was counted when it was sent; it can still be the first answer.
      const by = event.sentByFoghorn === true ? 'automated' : 'human';
      if (by === 'human') pending.push({ ...key, answersHuman: 1 });
      pending.push(
        ...(await this.options.store.stopClocks({
          conversations,
          at,
          by,
          targetMs: this.options.responseTargetMs(),
          ...(source === undefined ? {} : { source }),
        })),
      );
      return;
    }
    if (!CUSTOMER_KINDS.has(event.kind)) return;
    pending.push({ ...key, inbound: 1 });
    await this.options.store.startClock({
      conversation: conversationOf(event),
      messageId: event.id,
      at,
      platform: key.platform,
      channel: key.channel,
      lang: key.lang,
    });
  }

  /** A reply that went out (or was recorded in sandbox mode) at `at`. */
  async replied(command: ActionCommand, at: Date, pending: AnalyticsDelta[]): Promise<void> {
    const answer = replyAnswerOf(command);
    if (answer) await this.answered(answer, at, pending);
  }

  /** A reply's answer (replyAnswerOf) at `at`: counted in the hour it went out, and the clocks it reaches stopped. */
  async answered(answer: ReplyAnswer, at: Date, pending: AnalyticsDelta[], source?: string): Promise<void> {
    const key = { hour: hourOf(at.getTime()), platform: answer.platform, channel: answer.channel, lang: answer.lang };
    pending.push({ ...key, ...(answer.by === 'automated' ? { answersAutomated: 1 } : { answersHuman: 1 }) });
    pending.push(
      ...(await this.options.store.stopClocks({
        conversations: answer.conversations,
        at: at.getTime(),
        by: answer.by,
        targetMs: this.options.responseTargetMs(),
        ...(source === undefined ? {} : { source }),
      })),
    );
  }

  /** A conversation's owner changed (an assignment): noted beside its clock, for the first response measured there. */
  async ownerChanged(owner: AssignedOwner): Promise<void> {
    const note = ownerNoteOf(owner);
    if (note) await this.options.store.ownerChanged(note);
  }

  spikeOpened(episode: Pick<SpikeEpisode, 'incident' | 'ruleId' | 'startedAt' | 'firstEvent'>, pending: AnalyticsDelta[]): void {
    const at = Date.parse(episode.startedAt);
    pending.push({
      ...bucketKeyOf(episode.firstEvent, at),
      spikes: [{ incident: episode.incident, ruleId: episode.ruleId, at: new Date(at).toISOString(), edge: 'opened' }],
    });
  }

  spikeEnded(episode: Pick<SpikeEpisode, 'incident' | 'ruleId' | 'firstEvent'>, at: Date, pending: AnalyticsDelta[]): void {
    pending.push({
      ...bucketKeyOf(episode.firstEvent, at.getTime()),
      spikes: [{ incident: episode.incident, ruleId: episode.ruleId, at: at.toISOString(), edge: 'ended' }],
    });
  }

  /** Adds what a stage call collected: one delta per bucket. */
  async add(pending: readonly AnalyticsDelta[]): Promise<void> {
    const merged = mergeDeltas(pending);
    if (merged.length > 0) await this.options.store.add(merged);
  }
}

/** An assignment as the assignment store keeps it (functions/assignment/ports.ts ConversationOwner), as far as the figures read it. */
export interface AssignedOwner {
  conversation: string;
  person?: string | undefined;
  team?: string | undefined;
  /** ISO time. */
  since: string;
}

/** The owner note of an assignment; undefined when it names no conversation or no readable time. */
export function ownerNoteOf(owner: AssignedOwner): OwnerNote | undefined {
  const since = Date.parse(owner.since);
  if (!owner.conversation || Number.isNaN(since)) return undefined;
  return {
    conversation: owner.conversation,
    ...(owner.person ? { person: owner.person } : {}),
    ...(owner.team ? { team: owner.team } : {}),
    since,
  };
}

/** What a reply's answer means for the figures, kept with its action where they are derived later (a change stream). */
export interface ReplyAnswer extends Omit<BucketKey, 'hour'> {
  by: 'automated' | 'human';
  /** The conversations whose clocks it stops (repliedConversations). */
  conversations: string[];
}

/** The answer a command gives when it completes as succeeded: only a reply answers; human when a person approved it. */
export function replyAnswerOf(command: ActionCommand): ReplyAnswer | undefined {
  if (command.type !== 'reply') return undefined;
  const { platform, channel, lang } = bucketKeyOf(command.event, 0);
  return {
    platform,
    channel,
    lang,
    by: command.params[APPROVAL_PARAM] === undefined ? 'automated' : 'human',
    conversations: repliedConversations(command.event),
  };
}

/**
 * The part of an event its first decision's figures read (kind, dimensions, times, author, thread, the breach it
 * is about), kept with the decision where the figures are derived later: a few hundred bytes, never its text.
 */
export function analyticsSubjectOf(event: CanonicalEvent): CanonicalEvent {
  const sla = event.meta?.sla as { eventId?: unknown } | undefined;
  return {
    id: event.id,
    platform: event.platform,
    kind: event.kind,
    text: '',
    ...(event.lang === undefined ? {} : { lang: event.lang }),
    author: { id: event.author.id, ...(event.author.isSelf === undefined ? {} : { isSelf: event.author.isSelf }) },
    channel: { id: event.channel.id, ...(event.channel.direct ? { direct: true } : {}) },
    thread: { ...event.thread },
    createdAt: event.createdAt,
    receivedAt: event.receivedAt,
    ...(event.sentByFoghorn === undefined ? {} : { sentByFoghorn: event.sentByFoghorn }),
    ...(typeof sla?.eventId === 'string' ? { meta: { sla: { eventId: sla.eventId } } } : {}),
  } as CanonicalEvent;
}

/**
 * The bucket of an event at `at`. One-to-one conversations share their platform's `direct` channel: their ids name a
 * person, and a bucket each would make a storm's analytics one item per author.
 */
export function bucketKeyOf(event: Pick<CanonicalEvent, 'platform' | 'channel' | 'lang'>, at: number): BucketKey {
  const channel = event.channel.direct ? DIRECT_CHANNEL : event.channel.id;
  return { hour: hourOf(at), platform: event.platform, channel, lang: event.lang ?? UNKNOWN_LANGUAGE };
}

/** The analytics channel of every one-to-one conversation on a platform. */
export const DIRECT_CHANNEL = 'direct';

/** When the message was written: its `createdAt`, never later than Foghorn received it. */
export function writtenAt(event: Pick<CanonicalEvent, 'createdAt' | 'receivedAt'>): number {
  const written = Date.parse(event.createdAt);
  const received = Date.parse(event.receivedAt);
  if (Number.isNaN(written)) return Number.isNaN(received) ? Date.now() : received;
  return Number.isNaN(received) ? written : Math.min(written, received);
}

/**
 * The one conversation a customer's message waits in: a direct message in its DM channel, anything else in its
 * thread (its own id when it starts one). Every answer that reaches the message reaches this key.
 */
export function conversationOf(event: CanonicalEvent): string {
  const keys = waitingConversations(event);
  return (event.kind === 'dm' ? keys.at(-1) : keys[0]) ?? event.id;
}

/**
 * The clocks a reply to `event` stops: the one of the conversation the message waits in (kept since its first
 * unanswered message), and the thread its assignment is kept under (the same key but for a direct message), whose
 * owner the answer counts for. A reply to a breach answers the message the breach was about, whose kind the breach
 * does not keep: its thread and, should it have been a direct message, its DM channel.
 */
export function repliedConversations(event: CanonicalEvent): string[] {
  const sla = event.meta?.sla as { eventId?: unknown } | undefined;
  if (event.kind !== 'sla.breached' || typeof sla?.eventId !== 'string')
    return [...new Set([conversationOf(event), ticketConversation(event)])];
  return waitingConversations({ ...event, id: sla.eventId, kind: 'dm' });
}

function countRules(rules: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const rule of rules) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  return counts;
}
