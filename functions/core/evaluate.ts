import { type ActionCommand, commandFor } from './action-command.js';
import type { CanonicalEvent } from './event.js';
import type { Clock, CommandQueue, DecisionStore } from './ports.js';
import type { RuleSet, RuleState } from './rule-set.js';

export interface EvaluateDependencies {
  /** The current rule set (loaded once per container; the local runtime swaps it on reload). */
  ruleSet: () => RuleSet;
  state: RuleState;
  decisions: DecisionStore;
  queue: CommandQueue;
  clock: Clock;
}

/**
 * Decides what to do about one event and queues one command per action. The decision is stored first,
 * so a retried evaluation re-sends the same commands (same ids) instead of re-spending limits.
 */
export async function evaluateEvent(event: CanonicalEvent, deps: EvaluateDependencies): Promise<ActionCommand[]> {
  let stored = await deps.decisions.get(event.id);
  if (!stored) {
    const now = deps.clock.now();
    const decision = await deps.ruleSet().evaluate(event, { now, state: deps.state });
    const commands = decision.actions.map((action) => commandFor(event, action, now));
    stored = await deps.decisions.putIfAbsent({ eventId: event.id, rules: decision.rules, commands, decidedAt: now.toISOString() });
  }
  if (stored.commands.length > 0) await deps.queue.send(stored.commands);
  return stored.commands;
}
