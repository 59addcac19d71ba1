import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { withAssignment } from '../assignment/assignment-rule-set.js';
import { checkCanonicalEvent, isRepublished } from '../core/canonical-event.js';
import { type EvaluateDependencies, evaluateEvent } from '../core/evaluate.js';
import { type Provided, resolveProvided } from '../core/provided.js';
import type { RuleSet } from '../core/rule-set.js';
import { withCrisis } from '../crisis/crisis-rule-set.js';
import type { Adapters } from './adapters.js';
import type { LoadedRules } from './rule-source.js';
import { sqsBatchHandler } from './sqs-batch-handler.js';
import { stage } from './stage.js';

/**
 * SQS (fed by the bus) → evaluate each event in turn; failed records are reported, not the whole batch.
 * A record's receive count tells evaluate whether a decision may already exist.
 */
export function createEvaluateHandler(
  dependencies: Provided<EvaluateDependencies>,
  onError: (error: unknown, messageId: string) => void = () => {},
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const deps = await resolveProvided(dependencies);
    try {
      return await sqsBatchHandler(
        async (record) => {
          // The bus delivers an EventBridge envelope; the canonical event is its `detail`.
          const envelope = JSON.parse(record.body) as { detail?: unknown };
          const parsed = checkCanonicalEvent(envelope.detail);
          if (!parsed.success) throw new Error(`message ${record.messageId} carries no valid canonical event: ${parsed.problem}`);
          // Only the first delivery of a first publish skips reading the decision (core/evaluate.ts).
          const firstReceive = Number(record.attributes?.ApproximateReceiveCount) === 1 && !isRepublished(envelope.detail);
          await evaluateEvent(parsed.data, deps, { firstReceive });
        },
        { inParallel: false, onError },
      )(event);
    } finally {
      // The batch's spike counts and heartbeats, merged: its decisions are kept, so a failure here loses counts, never doubles them.
      await deps.decisions.settle?.().catch((error: unknown) => onError(error, 'held counts'));
    }
  };
}

const wrapped = new WeakMap<LoadedRules, RuleSet>();

/**
 * The rule set evaluate runs: the rules in force, wrapped by crisis mode (spikes, response timers, the crisisMode fact)
 * and by assignment (an answer closes its conversations).
 * Only crisis mode's stores are needed, not the whole crisis kit (escalation targets and senders, the config parsers).
 */
export async function evaluatedRuleSet(adapters: Adapters): Promise<RuleSet> {
  const loaded = await adapters.rules.current();
  // Read once, as the crisis kit did: the analytics recording takes its response target from it.
  await adapters.teamConfig.load();
  let ruleSet = wrapped.get(loaded);
  if (!ruleSet) {
    ruleSet = withCrisis(loaded.ruleSet, () => loaded.crisisOptions, adapters.crisisStores);
    // An answer closes the conversations it answers, for the owners' open counts.
    if (adapters.assignments) ruleSet = withAssignment(ruleSet, adapters.assignments, () => adapters.clock.now());
    wrapped.set(loaded, ruleSet);
  }
  return ruleSet;
}

/** The evaluate stage: decisions and limit state in the store, one command per action on the actions queue. */
export function evaluateStage(adapters: Provided<Adapters>): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return stage(adapters, (wired) =>
    createEvaluateHandler(
      async () => {
        const ruleSet = await evaluatedRuleSet(wired);
        return {
          ruleSet: () => ruleSet,
          state: wired.ruleState,
          decisions: wired.decisions,
          queue: wired.actionsQueue,
          clock: wired.clock,
          events: wired.events,
        };
      },
      (error, messageId) => wired.logger.error('evaluate failed', { messageId, error }),
    ),
  );
}
