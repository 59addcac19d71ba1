import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { EventBridgePublisher } from '../aws/event-bridge-publisher.js';
import { dynamoClient, loadSettings, logger, metrics, requiredEnv, tracer } from '../aws/lambda-runtime.js';
import { systemClock } from '../core/ports.js';
import { connectorFor, connectors } from '../platforms/index.js';
import { DynamoEventStore } from '../storage/dynamo/event-store.js';
import { topology } from '../../infra/topology.js';
import { createIngestHandler } from './ingest-handler.js';

export const handler = middy(createIngestHandler(async () => {
  const client = await dynamoClient();
  return {
    connectorFor,
    knownPlatforms: () => Object.keys(connectors),
    settings: await loadSettings(),
    store: new DynamoEventStore({ client, tableName: requiredEnv('TABLE_NAME') }),
    publisher: new EventBridgePublisher({ busName: requiredEnv('BUS_NAME') }),
    clock: systemClock,
    maxBodyBytes: topology.maxBodyBytes,
    onError: (error: unknown, request: { platform: string }) => logger.error('ingest failed', { platform: request.platform, error: error as Error }),
  };
}))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
