import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ActionCommand } from '../core/action-command.js';
import { actOn, backoffMs, type ActDependencies } from '../core/act.js';
import type { DeadLetters } from '../core/ports.js';
import { type Provided, resolveProvided } from '../core/provider.js';

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
) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const deps = await resolveProvided(dependencies);
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    await Promise.all(event.Records.map(async (record) => {
      try {
        const command = JSON.parse(record.body) as ActionCommand;
        const outcome = await actOn(command, deps);
        if (outcome.status === 'retry') {
          const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
          await deps.delay(record.receiptHandle, outcome.retryAfterMs ?? backoffMs(attempt));
          batchItemFailures.push({ itemIdentifier: record.messageId });
        } else if (outcome.status === 'dead') {
          await deps.deadLetters.send(command, outcome.reason);
        }
      } catch (error) {
        onError(error, record.messageId);
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }));
    return { batchItemFailures };
  };
}
