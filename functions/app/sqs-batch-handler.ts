import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export interface SqsBatchOptions {
  /** Records of one batch at once (act), or one after the other (evaluate, whose limits count in order). */
  inParallel: boolean;
  /** Called with each record's failure before the record is reported failed. */
  onError?(error: unknown, messageId: string): void;
}

/**
 * An SQS consumer that reports failed records one by one (ReportBatchItemFailures), with Powertools'
 * batch processor, so one bad record never makes the queue redeliver the whole batch. A batch that
 * fails whole is reported record by record too, as the queue's redrive counts expect.
 */
export function sqsBatchHandler(
  handle: (record: SQSRecord) => Promise<void>,
  options: SqsBatchOptions,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  const record = async (item: SQSRecord) => {
    try {
      await handle(item);
    } catch (error) {
      options.onError?.(error, item.messageId);
      throw error;
    }
  };
  // One processor per batch: the local runtime runs several batches of a queue at once.
  return (event) =>
    processPartialResponse(event, record, new BatchProcessor(EventType.SQS), {
      processInParallel: options.inParallel,
      throwOnFullBatchFailure: false,
    });
}
