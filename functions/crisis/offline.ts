import type { CanonicalEvent } from '../core/event.js';
import type { PlannedAction, RuleSet } from '../core/rule-set.js';
import type { CrisisStores } from './crisis-kit.js';
import { withCrisis } from './crisis-rule-set.js';
import { endQuietEpisodes } from './episode-end.js';
import {
  memoryApprovalStore,
  memoryAuditLog,
  memoryCounterStore,
  memoryCrisisStore,
  memoryEpisodeStore,
  memoryTimerStore,
} from './memory/index.js';
import { crisisRuleOptions } from './rule-options.js';
import { sweepSlaTimers } from './sla-timer.js';

/** What happened on the clock between two events of a file: timers that fired, spikes that ended. */
export interface OfflineTick {
  /** Breach events, to be evaluated like the file's own events. */
  breaches: CanonicalEvent[];
  /** The resolve and onQuiet actions of each spike episode that went quiet. */
  resolved: Array<{ eventId: string; ruleId: string; actions: PlannedAction[] }>;
}

/** Fresh in-memory crisis stores: the offline crisis's, and the dry run's crisis kit's. */
export function memoryCrisisStores(): CrisisStores {
  return {
    counters: memoryCounterStore(),
    episodes: memoryEpisodeStore(),
    timers: memoryTimerStore(),
    crisis: memoryCrisisStore(),
    approvals: memoryApprovalStore(),
    audit: memoryAuditLog(),
  };
}

/**
 * Crisis behaviour for `foghorn evaluate` and rule tests: spikes, SLA timers and crisis mode in memory,
 * with time taken from the events, so a file of events plays out as it would have live.
 */
export function offlineCrisis(base: RuleSet, rules: ReadonlyArray<{ id: string; spec: unknown }>, stores = memoryCrisisStores()) {
  const options = crisisRuleOptions(rules);
  return {
    stores,
    ruleSet: withCrisis(base, () => options, stores),
    /** Moves the clock to `now`: the sweep's work up to then. */
    async advance(now: Date): Promise<OfflineTick> {
      const breaches: CanonicalEvent[] = [];
      await sweepSlaTimers(
        {
          timers: stores.timers,
          audit: stores.audit,
          emit: async (event) => {
            breaches.push(event);
          },
        },
        now,
      );
      const ended = await endQuietEpisodes(stores.episodes, now);
      for (const { episode } of ended) await stores.episodes.dispatched(episode.ruleId, episode.incident);
      return {
        breaches,
        resolved: ended.map(({ episode, resolves, quiet }) => ({
          eventId: episode.firstEvent.id,
          ruleId: episode.ruleId,
          actions: [...resolves, ...quiet].map((command) => ({
            type: command.type,
            ruleId: command.ruleId,
            index: command.index,
            params: command.params,
          })),
        })),
      };
    },
  };
}
