import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AnalyticsStore } from '../analytics/ports.js';
import { AnalyticsRecorder } from '../analytics/recorder.js';
import { foldChanges, type OnceAnalyticsStore } from '../analytics/stream-folding.js';
import { type Provided, resolveProvided } from '../core/provided.js';
import { analyticsChangesOf } from '../storage/dynamo/analytics-stream.js';
import type { Adapters } from './adapters.js';
import { analyticsConfigOf } from './analytics-recording.js';

/**
 * A batch of the table's stream as Lambda delivers it with a tumbling window: the window's fields name the shard
 * (`shardId`), which orders the batch's sequence numbers; the window's state is not used (every batch writes its own
 * figures), only handed back as Lambda requires.
 */
export interface AnalyticsStreamEvent extends DynamoDBStreamEvent {
  shardId?: string;
  state?: Record<string, string>;
}

export interface AnalyticsStreamResponse extends DynamoDBBatchResponse {
  state: Record<string, string>;
}

/**
 * The analytics function: each batch of the table's stream folded into the figures (analytics/stream-folding.ts)
 * with the recorder the local runtime records with, off the pipeline. A failure reports the first record to fold
 * again (ReportBatchItemFailures): Lambda retries from there, and what was already added is not added twice.
 */
export function analyticsStreamStage(adapters: Provided<Adapters>): (event: AnalyticsStreamEvent) => Promise<AnalyticsStreamResponse> {
  return async (event) => {
    const wired = await resolveProvided(adapters);
    const store = onceStoreOf(wired.analytics);
    await wired.teamConfig.load();
    const recorder = new AnalyticsRecorder({ store, responseTargetMs: () => analyticsConfigOf(wired).responseTargetMs });
    const records = event.Records ?? [];
    const stream = event.shardId ?? records[0]?.eventSourceARN ?? 'stream';
    const failedAt = await foldChanges(recorder, store, stream, analyticsChangesOf(records), (error, change) =>
      wired.logger.error('analytics: a change could not be folded; it is retried', { source: change.source, error }),
    );
    return { state: {}, batchItemFailures: failedAt === undefined ? [] : [{ itemIdentifier: failedAt }] };
  };
}

function onceStoreOf(store: AnalyticsStore | undefined): AnalyticsStore & OnceAnalyticsStore {
  if (!store || typeof (store as Partial<OnceAnalyticsStore>).addOnce !== 'function')
    throw new Error('the analytics function needs an analytics store that adds a stream once (DynamoDB: TABLE_NAME)');
  return store as AnalyticsStore & OnceAnalyticsStore;
}
