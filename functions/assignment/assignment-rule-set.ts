import type { CanonicalEvent } from '../core/event.js';
import type { Decision, EvaluationContext, RuleSet } from '../core/rule-set.js';
import { answeredConversations, isOwnAnswer, ticketConversation } from '../crisis/conversation.js';
import type { AssignmentStore } from './ports.js';

/**
 * The rule set with open conversations closed as they end: an answer from a connected account closes the
 * conversations it answers (as it stops their response timers), and a solved helpdesk ticket closes its own. So a
 * person's open count (least open) follows what is still waiting for them.
 */
export function withAssignment(base: RuleSet, store: AssignmentStore, now: () => Date): RuleSet {
  return {
    get ruleIds() {
      return base.ruleIds;
    },
    async evaluate(event: CanonicalEvent, context: EvaluationContext): Promise<Decision> {
      const decision = await base.evaluate(event, context);
      const ended = isOwnAnswer(event) ? answeredConversations(event) : event.kind === 'ticket.solved' ? [ticketConversation(event)] : [];
      for (const conversation of ended) await store.close(conversation, now());
      return decision;
    },
  };
}
