import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { dynamoClient, logger, metrics, requiredEnv, tracer } from '../aws/lambda-runtime.js';
import { once } from '../core/provider.js';
import { awsCrisisKit } from '../crisis/aws/aws-crisis-kit.js';
import { DynamoEventStore } from '../storage/dynamo/event-store.js';
import { createApiHandler } from './api-handler.js';
import { foghornApiRoutes } from './routes.js';

// Needs TABLE_NAME, ACTIONS_QUEUE_URL (approve queues the held command) and the bundled config; IAM-authorised routes only.
export const handler = middy(createApiHandler(once(async () => ({
  routes: foghornApiRoutes(await awsCrisisKit(), new DynamoEventStore({ client: await dynamoClient(), tableName: requiredEnv('TABLE_NAME') })),
  onError: (error: unknown, routeKey: string) => logger.error('api route failed', { routeKey, error: error as Error }),
}))))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
