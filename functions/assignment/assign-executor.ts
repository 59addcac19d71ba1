import type { ActionExecutor } from '../core/act.js';
import { PermanentActionError } from '../core/errors.js';
import type { CanonicalEvent } from '../core/event.js';
import type { Clock } from '../core/ports.js';
import type { TimerStore } from '../crisis/ports.js';
import type { Assignments, AssignTo } from './assignments.js';
import { AssignmentInputError } from './errors.js';
import { escalationTargetOf } from './escalation-target.js';
import { startUnansweredTimer, UNANSWERED_INDEX, type Unanswered, unansweredOf } from './unanswered-timer.js';

export interface AssignExecutorOptions {
  /** Undefined on an adapter set without an assignment store: the action then fails for good, saying so. */
  assignments: Assignments | undefined;
  timers: TimerStore;
  /** The conversation a message belongs to (crisis/conversation.ts ticketConversation). */
  conversationOf(event: CanonicalEvent): string;
  clock: Clock;
}

/**
 * `assign`: gives the message's conversation an owner, keyed by the command id (a retried command takes no second
 * round-robin turn and counts nothing twice). With `unanswered`, a response timer (unanswered-timer.ts) holds an
 * escalation naming the owner, the team and how long.
 */
export function assignExecutor(options: AssignExecutorOptions): ActionExecutor {
  return async (command) => {
    const { assignments } = options;
    if (!assignments) throw new PermanentActionError('assign needs an assignment store, which this runtime has not');
    const to = targetOf(command.params);
    let outcome: Awaited<ReturnType<Assignments['assign']>>;
    try {
      outcome = await assignments.assign({
        conversation: options.conversationOf(command.event),
        event: command.event,
        to,
        by: `rule:${command.ruleId}`,
        change: command.id,
      });
    } catch (error) {
      if (error instanceof AssignmentInputError) throw new PermanentActionError(`assign: ${error.message}`);
      throw error;
    }
    const unanswered = unansweredParams(command.params.unanswered);
    // A breach event is the message again: a timer for it would escalate every `after` for ever.
    if (unanswered && command.event.kind !== 'sla.breached') {
      const config = assignments.config();
      const target = escalationTargetOf(unanswered.escalate, outcome.owner, config);
      if ('problem' in target) throw new PermanentActionError(`assigned, but cannot escalate when unanswered: ${target.problem}`);
      await startUnansweredTimer(
        options.timers,
        {
          ruleId: command.ruleId,
          // Apart from the rule's own actions, which it may decide again for the breach event.
          index: UNANSWERED_INDEX + command.index,
          event: command.event,
          owner: outcome.owner,
          unanswered,
          target: target.target,
          config,
        },
        options.clock.now(),
      );
    }
    return { status: 'succeeded', externalId: outcome.owner.person ?? outcome.owner.team ?? 'nobody' };
  };
}

function targetOf(params: Record<string, unknown>): AssignTo {
  if (typeof params.person === 'string' && params.person !== '') return { person: params.person };
  if (typeof params.team === 'string' && params.team !== '') return { team: params.team };
  throw new PermanentActionError(`assign needs params.team or params.person, got ${JSON.stringify(params)}`);
}

function unansweredParams(value: unknown): Unanswered | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const unanswered = unansweredOf(value);
  if (!unanswered) throw new PermanentActionError(`assign's unanswered needs after, afterMs and escalate, got ${JSON.stringify(value)}`);
  return unanswered;
}
