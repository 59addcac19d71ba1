import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type ActDependencies, type ActOutcome, type AmbiguousOutcomes, actOn, backoffMs } from '../core/act.js';
import type { ActionCommand } from '../core/action-command.js';
import { type OutboundPolicies, parseOutboundSection, settlePlatformOutcome } from '../core/outbound/index.js';
import type { DeadLetters } from '../core/ports.js';
import { type Provided, resolveProvided } from '../core/provided.js';
import { holdForApproval } from '../crisis/approvals.js';
import type { CrisisKit } from '../crisis/crisis-kit.js';
import { connectorFor } from '../platforms/index.js';
import { actionExecutors, platformSending } from './action-executors.js';
import type { Adapters } from './adapters.js';
import { countAction } from './app-metrics.js';
import { crisisKitOf } from './crisis-kit-of.js';
import { sqsBatchHandler } from './sqs-batch-handler.js';
import { stage } from './stage.js';
import { topology } from './topology.js';

export interface ActHandlerDependencies extends ActDependencies {
  deadLetters: DeadLetters;
  /** Keeps a message invisible for `ms` before its next delivery (SQS ChangeMessageVisibility). */
  delay(receiptHandle: string, ms: number): Promise<void>;
  /** Deliveries before the queue dead-letters a message (its maxReceiveCount); the topology's by default. */
  maxReceiveCount?: number;
}

/**
 * SQS → execute each command once. Transient failures come back after the platform's retry time or a
 * backoff; permanent failures, and transient ones on the queue's last delivery, get their final status and
 * go to the dead-letter queue with their reason, ready for a redrive.
 */
export function createActHandler(
  dependencies: Provided<ActHandlerDependencies>,
  onError: (error: unknown, messageId: string) => void = () => {},
  onOutcome: (command: ActionCommand, outcome: ActOutcome) => void = () => {},
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const deps = await resolveProvided(dependencies);
    const maxReceiveCount = deps.maxReceiveCount ?? topology.queues.actions.maxReceiveCount;
    return sqsBatchHandler(
      async (record) => {
        const command = JSON.parse(record.body) as ActionCommand;
        const count = Number(record.attributes.ApproximateReceiveCount) || 1;
        const outcome = await actOn(command, deps, { count, last: count >= maxReceiveCount });
        onOutcome(command, outcome);
        if (outcome.status === 'retry') {
          await deps.delay(record.receiptHandle, outcome.retryAfterMs ?? backoffMs(count));
          throw new RetryLaterError(command.id, outcome.reason);
        }
        if (outcome.status === 'dead') await deps.deadLetters.send(command, outcome.reason);
      },
      {
        inParallel: true,
        onError: (error, messageId) => {
          if (!(error instanceof RetryLaterError)) onError(error, messageId);
        },
      },
    )(event);
  };
}

/** Reports a record failed so the queue delivers it again once its delay is over; not an error worth logging. */
class RetryLaterError extends Error {
  constructor(commandId: string, reason: string) {
    super(`action ${commandId} will be retried: ${reason}`);
    this.name = 'RetryLaterError';
  }
}

/** The act stage: claims in the store, the executor chain, retries delayed on the queue, dead letters for good failures. */
export function actStage(adapters: Provided<Adapters>): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return stage(adapters, async (wired) => {
    const kit = await crisisKitOf(wired);
    const executors = actionExecutors(wired, kit);
    return createActHandler(
      {
        actions: wired.actions,
        executors,
        clock: wired.clock,
        leaseMs: wired.actionLeaseMs,
        ambiguous: ambiguousOutcomes(wired, kit),
        events: wired.events,
        deadLetters: wired.deadLetters,
        delay: (receiptHandle, ms) => wired.delayAction(receiptHandle, ms),
      },
      (error, messageId) => wired.logger.error('act failed', { messageId, error }),
      (command, outcome) => countAction(wired.metrics, command, outcome, wired.clock.now()),
    );
  });
}

/**
 * The platforms' outcome model over the adapters: settled by the team config's `outbound:` section (a
 * malformed one fails here, naming the field); an `unknown` action goes to the approval queue as "may
 * have been sent", where approving resends it (once, under the approval's own command id) and rejecting
 * leaves it as sent.
 */
export function ambiguousOutcomes(adapters: Adapters, kit: CrisisKit): AmbiguousOutcomes {
  const unparsed = Symbol('not parsed yet');
  let parsedFrom: unknown = unparsed;
  let parsed: OutboundPolicies = new Map();
  const policies = () => {
    const section = (adapters.teamConfig.current() as Record<string, unknown>).outbound;
    if (section !== parsedFrom) {
      parsed = parseOutboundSection(section, connectorFor);
      parsedFrom = section;
    }
    return parsed;
  };
  policies();
  const settlePlatform = settlePlatformOutcome({ ...platformSending(adapters), policies });
  return {
    settle: (command) => (command.type === 'escalate' ? kit.settleEscalation(command) : settlePlatform(command)),
    hold: async (command, reason) => {
      const { approvals, audit } = adapters.crisisStores;
      await holdForApproval(
        { approvals, audit, expireAfterMs: kit.teamConfig().crisis.approvalExpiryMs },
        {
          id: command.id,
          reason: `may have been sent: ${reason}`,
          heldBy: 'outcome',
          command,
          eventId: command.eventId,
          ruleId: command.ruleId,
        },
        adapters.clock.now(),
      );
    },
  };
}
