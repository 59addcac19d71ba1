import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Assignments } from '../assignment/assignments.js';
import type { PollReport } from '../core/poll.js';
import type { ApiRoute } from '../crisis/crisis-api-routes.js';
import type { CrisisKit } from '../crisis/crisis-kit.js';
import type { ListenReport, ListenStatus } from '../listening/index.js';
import { actStage } from './act-handler.js';
import type { Adapters } from './adapters.js';
import { analyticsSourcesOf, withAnalyticsRecording } from './analytics-recording.js';
import { consoleReadsOf, foghornApiRoutes } from './api-routes.js';
import { assignmentRouteSources, assignmentsOf } from './assignments-of.js';
import { crisisKitOf } from './crisis-kit-of.js';
import { evaluateStage } from './evaluate-handler.js';
import { ingestStage } from './ingest-handler.js';
import { listenStatusStage, type PollRequest, pollStage } from './poll-handler.js';
import { scheduledPostsOf } from './scheduled-posts-of.js';
import { type SweepReport, sweepStage } from './sweep-handler.js';
import type { FunctionName } from './topology.js';

export interface Pipeline {
  ingest(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2>;
  evaluate(event: SQSEvent): Promise<SQSBatchResponse>;
  act(event: SQSEvent): Promise<SQSBatchResponse>;
  poll(request?: PollRequest): Promise<{ reports: PollReport[]; listening: ListenReport[] }>;
  /** Each listening source's state, failures in a row and last error (/health). */
  listenStatus(): Promise<ListenStatus[]>;
  sweep(): Promise<SweepReport>;
  /** The human-facing API, as the api function serves it on AWS. */
  apiRoutes: readonly ApiRoute[];
  crisis: CrisisKit;
  /** Conversations' owners over the team config's people: and teams: (absent without an assignment store). */
  assignments?: Assignments;
  /** The stage that consumes each queue the topology names. */
  consumer(name: FunctionName): ((event: SQSEvent) => Promise<SQSBatchResponse>) | undefined;
}

/**
 * The whole pipeline over one adapter set, as the local runtime runs it. Each Lambda entry takes only
 * its own stage from this folder, so its bundle carries no other stage's code.
 */
export async function assemblePipeline(adapters: Adapters): Promise<Pipeline> {
  // The kit the stages use: a sweep or an approval run from here records its figures as the stages' do.
  const recorded = withAnalyticsRecording(adapters);
  const crisis = await crisisKitOf(recorded);
  const evaluate = evaluateStage(adapters);
  const act = actStage(adapters);
  const consumers: Partial<Record<FunctionName, (event: SQSEvent) => Promise<SQSBatchResponse>>> = { evaluate, act };
  return {
    ingest: ingestStage(adapters),
    evaluate,
    act,
    poll: pollStage(adapters),
    listenStatus: listenStatusStage(adapters),
    sweep: sweepStage(adapters),
    apiRoutes: foghornApiRoutes(
      crisis,
      adapters.events,
      analyticsSourcesOf(adapters),
      consoleReadsOf(adapters),
      scheduledPostsOf(adapters),
      // Recorded: a person's reassignment is noted for the analytics as a rule's is.
      assignmentRouteSources(recorded),
    ),
    crisis,
    ...(assignmentsOf(recorded) ? { assignments: assignmentsOf(recorded)! } : {}),
    consumer: (name) => consumers[name],
  };
}
