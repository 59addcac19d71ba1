import type { AnalyticsSources } from '../analytics/analytics-api-routes.js';
import { type AnalyticsConfig, parseAnalyticsSection } from '../analytics/config.js';
import type { AnalyticsDelta, DecisionWithSubject } from '../analytics/ports.js';
import { AnalyticsRecorder, analyticsSubjectOf } from '../analytics/recorder.js';
import type { AssignmentStore, ConversationOwner } from '../assignment/ports.js';
import type { ActionCommand } from '../core/action-command.js';
import type { CanonicalEvent } from '../core/event.js';
import type { ActionStore, DecisionStore, StoredDecision } from '../core/ports.js';
import type { RuleSet } from '../core/rule-set.js';
import type { CrisisStores } from '../crisis/crisis-kit.js';
import type { EpisodeStore } from '../crisis/ports.js';
import type { Adapters } from './adapters.js';
import { overriding, tappingRuleSets } from './overriding.js';
import type { RuleSource } from './rule-source.js';

/**
 * Response-time analytics recorded around the pipeline's own ports, so no stage knows about it: `stage()` wires
 * every stage through `recordingAnalytics`, which hands the stage adapters whose
 * - rule set notes each event it evaluates (the decision store is told only the event's id),
 * - decision store, when it keeps an event's first decision, records the event (analytics/recorder.ts),
 * - action store notes each command it claims and, when one completes as succeeded, records the reply,
 * - spike episodes record their start and end,
 * - assignment store, when it stores a conversation's owner, notes it beside the conversation's clock (the first
 *   response counts for whoever owns the conversation when it is answered);
 * and collects the figures while stage calls run, adding them when a call ends (one write per bucket and batch;
 * what concurrent calls collected goes with whichever ends first). Clocks start and stop at once, inside the
 * decision's step, before its commands can run. Adapters without an analytics store are handed over as they are.
 * Recording never fails the pipeline: an error is logged and the figures of that step are lost.
 * A store whose figures come from its change stream (`recordedFromStream`: DynamoDB on AWS) is told nothing by
 * the decisions and replies: each decision is kept with its event's subject instead, and the analytics function
 * folds the stream with the same recorder (analytics-stream-handler.ts). Spike marks, two per episode, are still
 * added here.
 *
 * No AsyncLocalStorage (its promise hooks cost every promise of the process about 3 % of the runtime's thread):
 * what a step needs from an earlier one of the same call is found by id, the event a rule set evaluated by the
 * decision's event id, the command claimed by the id `complete` is given (`Noted`); ids are unique, so concurrent
 * calls cannot mix them up.
 */

/**
 * Values noted by id until the step that needs them takes them; each id counts its notes, so two calls noting the
 * same id (a duplicate delivery) each drop their own. Bounded: should a note never be dropped (an evaluation that
 * threw before its decision was stored), the oldest go once there are MAX_NOTED, far more than calls in flight.
 */
class Noted<T> {
  private readonly entries = new Map<string, { value: T; notes: number }>();

  note(id: string, value: T): void {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    this.entries.set(id, { value, notes: (entry?.notes ?? 0) + 1 });
    if (this.entries.size > MAX_NOTED) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get(id: string): T | undefined {
    return this.entries.get(id)?.value;
  }

  drop(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (entry.notes <= 1) this.entries.delete(id);
    else entry.notes -= 1;
  }
}

const MAX_NOTED = 4_096;

const recordings = new WeakMap<Adapters, Recording | null>();

type Handler<E extends unknown[], R> = (...event: E) => Promise<R>;

/** A stage's wiring, with analytics recorded during each call of the handler it makes. */
export function recordingAnalytics<E extends unknown[], R>(
  wire: (adapters: Adapters) => Handler<E, R> | Promise<Handler<E, R>>,
): (adapters: Adapters) => Promise<Handler<E, R>> {
  return async (adapters) => {
    const recording = recordingOf(adapters);
    if (!recording) return wire(adapters);
    const handler = await wire(recording.adapters);
    return (...event) => recording.during(() => handler(...event));
  };
}

/**
 * The adapters with analytics recorded around their ports, the same object every stage is wired with (outside a
 * stage call, figures are added at once); the adapters themselves when they have no analytics store.
 */
export function withAnalyticsRecording(adapters: Adapters): Adapters {
  return recordingOf(adapters)?.adapters ?? adapters;
}

/** What the analytics route reads on these adapters; undefined when they have no analytics store. */
export function analyticsSourcesOf(adapters: Adapters): AnalyticsSources | undefined {
  const store = adapters.analytics;
  if (!store) return undefined;
  return {
    store,
    config: () => analyticsConfigOf(adapters),
    openSpikes: async () =>
      (await adapters.crisisStores.episodes.listOpen()).map((episode) => ({
        incident: episode.incident,
        ruleId: episode.ruleId,
        startedAt: episode.startedAt,
        endedAt: null,
      })),
    now: () => adapters.clock.now(),
  };
}

const configs = new WeakMap<object, AnalyticsConfig>();

/** `analytics:` of the team config in force (checked when the config was loaded); the defaults before it is. */
export function analyticsConfigOf(adapters: Pick<Adapters, 'teamConfig'>): AnalyticsConfig {
  let config: object;
  try {
    config = adapters.teamConfig.current();
  } catch {
    return parseAnalyticsSection(undefined);
  }
  let parsed = configs.get(config);
  if (!parsed) {
    parsed = parseAnalyticsSection((config as Record<string, unknown>).analytics);
    configs.set(config, parsed);
  }
  return parsed;
}

function recordingOf(adapters: Adapters): Recording | undefined {
  let recording = recordings.get(adapters);
  if (recording === undefined) {
    recording = adapters.analytics ? new Recording(adapters) : null;
    recordings.set(adapters, recording);
  }
  return recording ?? undefined;
}

class Recording {
  readonly adapters: Adapters;
  private readonly recorder: AnalyticsRecorder;
  /** Stage calls running; figures recorded while none is are added at once. */
  private running = 0;
  /** Figures recorded by the calls running, added when one ends. */
  private pending: AnalyticsDelta[] = [];
  private readonly events = new Noted<CanonicalEvent>();
  private readonly commands = new Noted<ActionCommand>();

  constructor(private readonly raw: Adapters) {
    const store = raw.analytics;
    if (!store) throw new Error('Recording: the adapters have no analytics store');
    this.recorder = new AnalyticsRecorder({ store, responseTargetMs: () => analyticsConfigOf(raw).responseTargetMs });
    const made = new Map<string, unknown>();
    // Built on first use, as the AWS adapters build their members: a stage that never touches a store never makes it.
    const once = <T>(name: string, make: () => T): T => {
      if (!made.has(name)) made.set(name, make());
      return made.get(name) as T;
    };
    this.adapters = overriding(raw, {
      decisions: () => once('decisions', () => this.decisions(raw.decisions)),
      actions: () => once('actions', () => this.actions(raw.actions)),
      rules: () => once('rules', () => this.rules(raw.rules)),
      crisisStores: () => once('crisisStores', () => this.crisisStores(raw.crisisStores)),
      ...(raw.analytics?.recordedFromStream ? {} : { assignments: () => once('assignments', () => this.assignments(raw.assignments)) }),
    });
  }

  /** Runs one call of a stage; when it ends, the figures collected so far are added. */
  async during<R>(run: () => Promise<R>): Promise<R> {
    this.running += 1;
    try {
      return await run();
    } finally {
      this.running -= 1;
      const pending = this.pending;
      this.pending = [];
      if (pending.length > 0) await this.recorder.add(pending).catch((error: unknown) => this.failed('add figures', error));
    }
  }

  private decisions(inner: DecisionStore): DecisionStore {
    if (this.raw.analytics?.recordedFromStream) return this.decisionsWithSubjects(inner);
    type Kept = Awaited<ReturnType<DecisionStore['putIfAbsent']>>;
    // Either way of keeping a decision records the event when this one was kept (not a conflict's earlier one).
    const recorded = async (eventId: string, keep: () => Promise<Kept>): Promise<Kept> => {
      let kept: Kept;
      let noted: CanonicalEvent | undefined;
      try {
        kept = await keep();
      } finally {
        noted = this.events.get(eventId);
        this.events.drop(eventId);
      }
      if (kept.created) {
        const event = noted ?? kept.decision.commands[0]?.event;
        if (event) await this.record('a decision', (pending) => this.recorder.decided(event, kept.decision.rules, pending));
      }
      return kept;
    };
    const decideOnce = inner.decideOnce?.bind(inner);
    return overriding(inner, {
      putIfAbsent: () => (decision: Parameters<DecisionStore['putIfAbsent']>[0]) =>
        recorded(decision.eventId, () => inner.putIfAbsent(decision)),
      ...(decideOnce
        ? {
            decideOnce: () => (eventId: string, decide: Parameters<NonNullable<DecisionStore['decideOnce']>>[1]) =>
              recorded(eventId, () => decideOnce(eventId, decide)),
          }
        : {}),
    });
  }

  /**
   * For figures derived from the change stream: each decision is kept with its event's subject, in the decision's
   * own write, and nothing is recorded here (no write, no read added to the step).
   */
  private decisionsWithSubjects(inner: DecisionStore): DecisionStore {
    const withSubject = (decision: StoredDecision): DecisionWithSubject => {
      const event = this.events.get(decision.eventId) ?? decision.commands[0]?.event;
      return event ? { ...decision, analyticsSubject: analyticsSubjectOf(event) } : decision;
    };
    const decideOnce = inner.decideOnce?.bind(inner);
    const dropping = async <T>(eventId: string, keep: () => Promise<T>): Promise<T> => {
      try {
        return await keep();
      } finally {
        this.events.drop(eventId);
      }
    };
    return overriding(inner, {
      putIfAbsent: () => (decision: StoredDecision) => dropping(decision.eventId, () => inner.putIfAbsent(withSubject(decision))),
      ...(decideOnce
        ? {
            decideOnce: () => (eventId: string, decide: Parameters<NonNullable<DecisionStore['decideOnce']>>[1]) =>
              dropping(eventId, () => decideOnce(eventId, async (state) => withSubject(await decide(state)))),
          }
        : {}),
    });
  }

  private actions(inner: ActionStore): ActionStore {
    // A reply's answer is kept with its action by the store (its `answerOf`), and the stream folds it.
    if (this.raw.analytics?.recordedFromStream) return inner;
    return overriding(inner, {
      claim: () => async (command: ActionCommand, leaseMs: number, now: Date) => {
        this.commands.note(command.id, command);
        let claim: Awaited<ReturnType<ActionStore['claim']>> | undefined;
        try {
          claim = await inner.claim(command, leaseMs, now);
          return claim;
        } finally {
          // Only a claim that holds the command goes on to complete or release it.
          if (claim === undefined || claim === 'completed' || claim === 'busy') this.commands.drop(command.id);
        }
      },
      complete:
        () =>
        async (...args: Parameters<ActionStore['complete']>) => {
          const [commandId, outcome, now] = args;
          const command = this.commands.get(commandId);
          try {
            await inner.complete(...args);
          } finally {
            this.commands.drop(commandId);
          }
          if (command && outcome.status === 'succeeded')
            await this.record('a reply', (pending) => this.recorder.replied(command, now, pending));
        },
      release:
        () =>
        async (...args: Parameters<ActionStore['release']>) => {
          try {
            await inner.release(...args);
          } finally {
            this.commands.drop(args[0]);
          }
        },
    });
  }

  /** Each owner this store keeps is noted for the analytics (on AWS the stream carries the owner's item instead). */
  private assignments(inner: AssignmentStore | undefined): AssignmentStore | undefined {
    if (!inner) return undefined;
    return overriding(inner, {
      assign: () => async (owner: ConversationOwner, expected: string | undefined) => {
        const result = await inner.assign(owner, expected);
        if (result === 'assigned') await this.record('an owner', () => this.recorder.ownerChanged(owner));
        return result;
      },
    });
  }

  private rules(inner: RuleSource): RuleSource {
    return tappingRuleSets(inner, (ruleSet) => notingEvents(ruleSet, this.events));
  }

  private crisisStores(inner: CrisisStores): CrisisStores {
    const episodes: EpisodeStore = overriding(inner.episodes, {
      open: () => async (episode: Parameters<EpisodeStore['open']>[0]) => {
        const opened = await inner.episodes.open(episode);
        if (opened) await this.record('a spike', (pending) => this.recorder.spikeOpened(episode, pending));
        return opened;
      },
      close: () => async (ruleId: string, incident: string, lastEventAt: string, now: Date) => {
        const closed = await inner.episodes.close(ruleId, incident, lastEventAt, now);
        if (closed)
          await this.record('a spike end', async (pending) => {
            const episode = await inner.episodes.current(ruleId);
            if (episode?.incident === incident) this.recorder.spikeEnded(episode, now, pending);
          });
        return closed;
      },
    });
    return { ...inner, episodes };
  }

  /** Runs one recording step into the running calls' figures (or, while no stage call runs, adds them at once). */
  private async record(what: string, step: (pending: AnalyticsDelta[]) => Promise<void> | void): Promise<void> {
    const own: AnalyticsDelta[] = [];
    try {
      await step(own);
      // Checked after the step: a call that ended meanwhile has added what was pending without these.
      if (this.running > 0) this.pending.push(...own);
      else await this.recorder.add(own);
    } catch (error) {
      this.failed(`record ${what}`, error);
    }
  }

  private failed(what: string, error: unknown): void {
    this.raw.logger.warn(`analytics: could not ${what}; those figures are lost`, {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** The rule set, noting each event it evaluates, for the decision store to find by the decision's event id. */
function notingEvents(ruleSet: RuleSet, events: Noted<CanonicalEvent>): RuleSet {
  return overriding(ruleSet, {
    evaluate: () => (event: CanonicalEvent, context: Parameters<RuleSet['evaluate']>[1]) => {
      events.note(event.id, event);
      return ruleSet.evaluate(event, context);
    },
  });
}
