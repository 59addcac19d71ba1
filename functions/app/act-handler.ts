import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type ActDependencies, actOn, backoffMs } from '../core/act.js';
import type { ActionCommand } from '../core/action-command.js';
import type { DeadLetters } from '../core/ports.js';
import { type Provided, resolveProvided } from '../core/provided.js';
import { actionExecutors } from './action-executors.js';
import type { Adapters } from './adapters.js';
import { crisisKitOf } from './crisis-kit-of.js';
import { sqsBatchHandler } from './sqs-batch-handler.js';
import { stage } from './stage.js';

export interface ActHandlerDependencies extends ActDependencies {
  deadLetters: DeadLetters;
  /** Keeps a message invisible for `ms` before its next delivery (SQS ChangeMessageVisibility). */
  delay(receiptHandle: string, ms: number): Promise<void>;
}

/**
 * SQS → execute each command once. Transient failures come back after the platform's retry time or a
 * backoff; permanent failures go to the dead-letter queue with their reason, ready for a redrive.
 */
export function createActHandler(
  dependencies: Provided<ActHandlerDependencies>,
  onError: (error: unknown, messageId: string) => void = () => {},
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const deps = await resolveProvided(dependencies);
    return sqsBatchHandler(
      async (record) => {
        const command = JSON.parse(record.body) as ActionCommand;
        const outcome = await actOn(command, deps);
        if (outcome.status === 'retry') {
          const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
          await deps.delay(record.receiptHandle, outcome.retryAfterMs ?? backoffMs(attempt));
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
    const executors = actionExecutors(wired, await crisisKitOf(wired));
    return createActHandler(
      {
        actions: wired.actions,
        executors,
        clock: wired.clock,
        leaseMs: wired.actionLeaseMs,
        deadLetters: wired.deadLetters,
        delay: (receiptHandle, ms) => wired.delayAction(receiptHandle, ms),
      },
      (error, messageId) => wired.logger.error('act failed', { messageId, error }),
    );
  });
}
