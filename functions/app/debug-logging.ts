import type { ActionCommand } from '../core/action-command.js';
import type { ActionStore } from '../core/ports.js';
import type { RuleSet } from '../core/rule-set.js';
import type { Adapters, AppLogger } from './adapters.js';
import { overriding, tappingRuleSets } from './overriding.js';

/**
 * At debug level, one log line per event evaluated (`event evaluated`: id, platform, kind, the rules that held) and
 * per action that ends (`action completed` or `action released`: id, type, rule, status, mode), on both runtimes:
 * `stage()` wires every stage through these adapters, as it does for analytics. Ids, names and statuses only,
 * never an event's text, an action's parameters or a request, so no secret or token reaches the log. Without a
 * `debug` on the logger (any other level) the adapters are handed over as they are, at no cost.
 */
const logged = new WeakMap<Adapters, Adapters>();

export function withDebugLogging(adapters: Adapters): Adapters {
  const debug = adapters.logger.debug;
  if (!debug) return adapters;
  let wrapped = logged.get(adapters);
  if (!wrapped) {
    const log: NonNullable<AppLogger['debug']> = (message, detail) => debug.call(adapters.logger, message, detail);
    const made = new Map<string, unknown>();
    const once = <T>(name: string, make: () => T): T => {
      if (!made.has(name)) made.set(name, make());
      return made.get(name) as T;
    };
    wrapped = overriding(adapters, {
      rules: () => once('rules', () => tappingRuleSets(adapters.rules, (ruleSet) => loggingEvaluations(ruleSet, log))),
      actions: () => once('actions', () => loggingActions(adapters.actions, log)),
    });
    logged.set(adapters, wrapped);
  }
  return wrapped;
}

type Debug = NonNullable<AppLogger['debug']>;

function loggingEvaluations(ruleSet: RuleSet, log: Debug): RuleSet {
  return overriding(ruleSet, {
    evaluate: () => async (event, context) => {
      const decision = await ruleSet.evaluate(event, context);
      log('event evaluated', { id: event.id, platform: event.platform, kind: event.kind, rules: decision.rules });
      return decision;
    },
  });
}

/** Commands claimed and not yet ended, by id: `complete` and `release` are given only the id. Bounded, as a claim may never end. */
const MAX_CLAIMED = 4_096;

function loggingActions(inner: ActionStore, log: Debug): ActionStore {
  const claimed = new Map<string, Pick<ActionCommand, 'type' | 'ruleId'>>();
  const ended = (commandId: string) => {
    const command = claimed.get(commandId);
    claimed.delete(commandId);
    return command ? { type: command.type, rule: command.ruleId } : {};
  };
  return overriding(inner, {
    claim: () => async (command, leaseMs, now) => {
      const claim = await inner.claim(command, leaseMs, now);
      if (claim === 'completed') log('action skipped', { id: command.id, type: command.type, rule: command.ruleId, status: 'skipped' });
      else if (claim !== 'busy') {
        claimed.set(command.id, { type: command.type, ruleId: command.ruleId });
        if (claimed.size > MAX_CLAIMED) claimed.delete(claimed.keys().next().value as string);
      }
      return claim;
    },
    complete: () => async (commandId, outcome, now, effects) => {
      await inner.complete(commandId, outcome, now, effects);
      log('action completed', {
        id: commandId,
        ...ended(commandId),
        status: outcome.status,
        ...(outcome.mode ? { mode: outcome.mode } : {}),
      });
    },
    release: () => async (commandId, error, now) => {
      await inner.release(commandId, error, now);
      log('action released', { id: commandId, ...ended(commandId), status: 'released' });
    },
  });
}
