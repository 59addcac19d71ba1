import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { canonicalEventSchema } from '../core/event.js';
import { evaluateEvent, type EvaluateDependencies } from '../core/evaluate.js';
import { type Provided, resolveProvided } from '../core/provider.js';

/** SQS (fed by the bus) → evaluate each event; failed records are reported, not the whole batch. */
export function createEvaluateHandler(
  dependencies: Provided<EvaluateDependencies>,
  onError: (error: unknown, messageId: string) => void = () => {},
) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const deps = await resolveProvided(dependencies);
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        // The bus delivers an EventBridge envelope; the canonical event is its `detail`.
        const envelope = JSON.parse(record.body) as { detail?: unknown };
        const parsed = canonicalEventSchema.safeParse(envelope.detail);
        if (!parsed.success) throw new Error(`message ${record.messageId} carries no valid canonical event: ${parsed.error.message}`);
        await evaluateEvent(parsed.data, deps);
      } catch (error) {
        onError(error, record.messageId);
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
