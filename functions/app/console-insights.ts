import { type ListingQuery, listingQuery } from '../core/api-query.js';
import type { CanonicalEvent } from '../core/event.js';
import type { ActionRecord, DecisionStore, StoredEvent } from '../core/ports.js';
import type { RuleState } from '../core/rule-set.js';
import { answeredConversations, isOwnAnswer, waitingConversations } from '../crisis/conversation.js';
import type { TimerStore } from '../crisis/ports.js';
import type { LoadedRules } from './rule-source.js';
import type { RuleReloadStatus } from './watched-rule-source.js';
import { withoutSecrets } from './without-secrets.js';

/** One page of a listing, newest first, as the stores' `listPage` reads it (core/api-query.ts). */
export type ListingPage<T> = (query: ListingQuery) => Promise<{ items: T[]; next?: string }>;

/**
 * What `GET /api/rules` and `GET /api/conversations/{id}` are computed from, on either runtime: the stores' ports
 * (the event and action listings through gsi1, single events, decisions, rule state, timers) and the rule set in force
 * (the watched rules folder locally; on AWS the rule set deployed with the api function, as evaluate loads it).
 */
export interface InsightSources {
  events: ListingPage<CanonicalEvent>;
  actions: ListingPage<ActionRecord>;
  event(id: string): Promise<StoredEvent | undefined>;
  decisions: Pick<DecisionStore, 'get'>;
  ruleState: Pick<RuleState, 'peek'>;
  timers: Pick<TimerStore, 'pendingInConversation'>;
  rules(): Promise<LoadedRules>;
  /** The latest reload; on AWS, where the rules change only with a deployment, `loaded` when this container loaded them. */
  reload(): RuleReloadStatus;
  now(): Date;
}

/** A decision as the console shows it: the rules that matched and the commands they decided. */
export interface DecisionSummary {
  rules: string[];
  decidedAt: string;
  commands: Array<{ id: string; ruleId: string; type: string; text?: string }>;
}

/** An answer of a route: status and JSON body. */
export interface InsightAnswer {
  status: number;
  body: unknown;
}

const DAY_MS = 86_400_000;
/** The most items one console read examines in a listing, so a long history answers in bounded time. */
const SCAN_LIMIT = 5_000;
const CACHED_DECISIONS = 20_000;

/** A decision never changes once stored: keep the ones read, the oldest dropped first. */
export class DecisionCache {
  private readonly cache = new Map<string, DecisionSummary>();

  constructor(private readonly store: Pick<DecisionStore, 'get'>) {}

  async get(eventId: string): Promise<DecisionSummary | undefined> {
    const cached = this.cache.get(eventId);
    if (cached) return cached;
    const stored = await this.store.get(eventId);
    if (!stored) return undefined;
    const summary: DecisionSummary = {
      rules: stored.rules,
      decidedAt: stored.decidedAt,
      commands: stored.commands.map((command) => ({
        id: command.id,
        ruleId: command.ruleId,
        type: command.type,
        ...(typeof command.params.text === 'string' ? { text: command.params.text } : {}),
      })),
    };
    this.cache.set(eventId, summary);
    if (this.cache.size > CACHED_DECISIONS) this.cache.delete(this.cache.keys().next().value as string);
    return summary;
  }
}

/** Every item of a listing from `since` on, newest first, up to SCAN_LIMIT; `complete` is false when it stopped there. */
async function scan<T>(
  name: 'events' | 'actions',
  listing: ListingPage<T>,
  filters: Record<string, string>,
  now: Date,
): Promise<{ items: T[]; complete: boolean }> {
  const query: ListingQuery = listingQuery(name, new URLSearchParams({ ...filters, limit: '1000' }), now);
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await listing(cursor ? { ...query, cursor } : query);
    items.push(...page.items);
    cursor = page.next;
  } while (cursor && items.length < SCAN_LIMIT);
  return { items, complete: cursor === undefined };
}

/**
 * `GET /api/rules`: each rule in force with its hits and the times a limit held it back over the last 24 h (from the
 * stored decisions of the events received in that time), when it last acted (its latest action), and its circuit
 * breaker; with the latest reload, whose error stays shown while a rejected change leaves the previous rules in force.
 */
export function rulesAnswer(sources: InsightSources, cache: DecisionCache): () => Promise<InsightAnswer> {
  return async () => {
    const now = sources.now();
    const since = new Date(now.getTime() - DAY_MS).toISOString();
    const { compiled } = await sources.rules();
    const events = await scan('events', sources.events, { since }, now);
    const hits = new Map<string, number>();
    const heldBack = new Map<string, number>();
    const plain = new Set(
      compiled.rules.filter((rule) => !rule.spec.volume && !rule.spec.after && rule.actions.length > 0).map((r) => r.id),
    );
    for (const event of events.items) {
      const decision = await cache.get(event.id);
      if (!decision) continue;
      for (const ruleId of new Set(decision.rules)) {
        hits.set(ruleId, (hits.get(ruleId) ?? 0) + 1);
        // A plain rule that matched and decided nothing was held back by a limit (or its breaker).
        if (plain.has(ruleId) && !decision.commands.some((command) => command.ruleId === ruleId)) {
          heldBack.set(ruleId, (heldBack.get(ruleId) ?? 0) + 1);
        }
      }
    }
    const rules = await Promise.all(
      compiled.rules.map(async (rule) => {
        const latest = await sources.actions(listingQuery('actions', new URLSearchParams({ rule: rule.id, limit: '1' }), now));
        const perMinute = rule.spec.volume === undefined ? rule.limits.perMinute : undefined;
        let breaker: 'none' | 'closed' | 'open' = 'none';
        if (perMinute !== undefined) {
          const tripped = (await sources.ruleState.peek?.(`rule:${rule.id}:breaker`, 1, rule.limits.breakerCooldownMs, now)) ?? 0;
          breaker = tripped > 0 ? 'open' : 'closed';
        }
        return {
          id: rule.id,
          ...(rule.spec.description ? { description: rule.spec.description } : {}),
          file: rule.file,
          enabled: rule.enabled,
          hits24h: hits.get(rule.id) ?? 0,
          heldBack24h: heldBack.get(rule.id) ?? 0,
          ...(latest.items[0] ? { lastFired: latest.items[0].createdAt } : {}),
          breaker,
          ...(perMinute !== undefined ? { perMinute } : {}),
        };
      }),
    );
    return {
      status: 200,
      body: { rules, reload: sources.reload(), counted: { since, events: events.items.length, complete: events.complete } },
    };
  };
}

/**
 * `GET /api/conversations/{id}`: the conversation an event belongs to, in order: the customer's messages and the
 * answers by a connected account (events), Foghorn's replies (decided commands with their action's status and mode,
 * which in sandbox mode never come back as events), and any response timer still running.
 */
export function conversationAnswer(
  sources: InsightSources,
  cache: DecisionCache,
): (request: { params: Record<string, string | undefined> }) => Promise<InsightAnswer> {
  return async ({ params }) => {
    const id = params.id ?? '';
    const stored = await sources.event(id);
    if (!stored) return { status: 404, body: { error: `no event '${id}'`, detail: null } };
    const { event } = stored;
    const now = sources.now();
    const since = new Date(Date.parse(event.receivedAt) - 7 * DAY_MS).toISOString();
    const nearby = await scan('events', sources.events, { since, platform: event.platform }, now);
    const keys = new Set([...waitingConversations(event), ...answeredConversations(event)]);
    const keysOf = (candidate: CanonicalEvent) => [...waitingConversations(candidate), ...answeredConversations(candidate)];
    // Twice: an answer found through the first message can name the thread the rest of the messages share.
    const members = new Map<string, CanonicalEvent>([[event.id, event]]);
    for (let pass = 0; pass < 2; pass++) {
      for (const candidate of nearby.items) {
        const candidateKeys = keysOf(candidate);
        if (!candidateKeys.some((key) => keys.has(key))) continue;
        members.set(candidate.id, candidate);
        for (const key of candidateKeys) keys.add(key);
      }
    }
    const messages = [...members.values()]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.receivedAt.localeCompare(b.receivedAt))
      .map((member) => ({ event: member, from: isOwnAnswer(member) ? (member.sentByFoghorn ? 'foghorn' : 'team') : 'customer' }));

    const replyCommands: Array<{ eventId: string; command: DecisionSummary['commands'][number] }> = [];
    for (const member of members.values()) {
      const decision = await cache.get(member.id);
      for (const command of decision?.commands ?? []) {
        if (command.type === 'reply' || command.type === 'post') replyCommands.push({ eventId: member.id, command });
      }
    }
    const firstAt = messages[0]?.event.receivedAt ?? event.receivedAt;
    const actions =
      replyCommands.length === 0
        ? []
        : (
            await scan(
              'actions',
              sources.actions,
              { since: new Date(Date.parse(firstAt) - 60_000).toISOString(), platform: event.platform },
              now,
            )
          ).items;
    const byCommand = new Map<string, ActionRecord[]>();
    for (const action of actions) {
      const base = action.id.replace(/~approved$/, '');
      byCommand.set(base, [...(byCommand.get(base) ?? []), action]);
    }
    const answers = replyCommands.map(({ eventId, command }) => {
      // The approved run of a held reply is the one that went out, when there is one.
      const runs = (byCommand.get(command.id) ?? []).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const action = runs[0];
      return {
        eventId,
        commandId: command.id,
        ruleId: command.ruleId,
        type: command.type,
        ...(command.text !== undefined ? { text: command.text } : {}),
        ...(action ? { status: action.status, mode: action.mode, at: action.updatedAt } : { status: 'queued' }),
      };
    });

    const timers = new Map<string, { id: string; ruleId: string; eventId: string; after: string; dueAt: string; startedAt: string }>();
    for (const key of keys) {
      for (const timer of await sources.timers.pendingInConversation(key)) {
        timers.set(timer.id, {
          id: timer.id,
          ruleId: timer.ruleId,
          eventId: timer.eventId,
          after: timer.after,
          dueAt: timer.dueAt,
          startedAt: timer.event.createdAt,
        });
      }
    }
    return {
      status: 200,
      body: withoutSecrets({
        conversation: {
          eventId: event.id,
          platform: event.platform,
          channel: event.channel,
          messages,
          answers,
          timers: [...timers.values()],
          complete: nearby.complete,
        },
      }),
    };
  };
}
