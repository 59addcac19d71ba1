import { type ActionCommand, commandFor } from './action-command.js';
import type { CanonicalEvent } from './event.js';
import { EMBEDDED_EVENT_MAX_BYTES, excerptOf, wholeEvent } from './event-excerpt.js';
import type { Clock, CommandQueue, DecisionStore, EventStore, StoredDecision } from './ports.js';
import type { RuleSet, RuleState } from './rule-set.js';

export interface EvaluateDependencies {
  /** The current rule set (loaded once per container; the local runtime swaps it on reload). */
  ruleSet: () => RuleSet;
  state: RuleState;
  decisions: DecisionStore;
  queue: CommandQueue;
  clock: Clock;
  /** Where a large event that came as an excerpt (event-excerpt.ts) is read whole before the rules see it. */
  events?: Pick<EventStore, 'get'>;
}

/** About this delivery of the event. */
export interface EvaluateDelivery {
  /**
   * The queue's first delivery of a first publish: no decision can exist unless another worker races
   * this one, so none is read. A redelivery may follow an evaluation that spent limits and crashed, so
   * its decision is read first.
   */
  firstReceive: boolean;
}

/**
 * Decides what to do about one event and queues one command per action. The decision, with its commands,
 * is one conditional write: a redelivery reads it back and re-sends the same commands (same ids) instead of
 * re-spending limits, and a race on a first delivery keeps the first decision (the write returns it). A
 * store that is its own outbox queued the commands in that write, and they are not sent again. A large event's
 * commands carry its excerpt (event-excerpt.ts): the decision and each queue message stay small, and act reads
 * the event whole; a large event that came as an excerpt is read whole first (one read), only when it is evaluated.
 */
export async function evaluateEvent(
  arrived: CanonicalEvent,
  deps: EvaluateDependencies,
  delivery: EvaluateDelivery = { firstReceive: false },
): Promise<ActionCommand[]> {
  let kept: { decision: StoredDecision; queued: boolean } | undefined;
  if (!delivery.firstReceive) {
    const found = await deps.decisions.get(arrived.id);
    if (found) kept = { decision: found, queued: found.queued ?? false };
  }
  if (!kept) {
    const event = await wholeEvent(arrived, deps.events);
    const carried = excerptOf(event, EMBEDDED_EVENT_MAX_BYTES);
    const now = deps.clock.now();
    const ruleSet = deps.ruleSet();
    const decide = async (state: RuleState): Promise<StoredDecision> => {
      const decision = await ruleSet.evaluate(event, { now, state });
      const commands = decision.actions.map((action) => commandFor(carried, action, now));
      return { eventId: event.id, rules: decision.rules, commands, decidedAt: now.toISOString() };
    };
    // A store that writes the limits spent with the decision is handed the evaluation (ports.ts).
    kept = deps.decisions.decideOnce
      ? await deps.decisions.decideOnce(event.id, decide)
      : await deps.decisions.putIfAbsent(await decide(deps.state));
  }
  const { commands } = kept.decision;
  if (!kept.queued && commands.length > 0) await deps.queue.send(commands);
  return commands;
}
