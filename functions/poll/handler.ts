import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { EventBridgePublisher } from '../aws/event-bridge-publisher.js';
import { dynamoClient, loadSettings, logger, metrics, requiredEnv, tracer } from '../aws/lambda-runtime.js';
import { LiveSender } from '../core/outbound/index.js';
import { systemClock } from '../core/ports.js';
import { once } from '../core/provider.js';
import { DynamoCursorStore } from '../storage/dynamo/cursor-store.js';
import { DynamoEventStore } from '../storage/dynamo/event-store.js';
import { createPollHandler } from './poll-handler.js';
import { pollers } from './pollers.js';

const dependencies = once(async () => {
  const client = await dynamoClient();
  const tableName = requiredEnv('TABLE_NAME');
  const sender = new LiveSender();
  return {
    pollers,
    cursors: new DynamoCursorStore({ client, tableName }),
    store: new DynamoEventStore({ client, tableName }),
    publisher: new EventBridgePublisher({ busName: requiredEnv('BUS_NAME') }),
    settings: await loadSettings(),
    send: (request: Parameters<LiveSender['send']>[0]) => sender.send(request),
    clock: systemClock,
  };
});

export const handler = middy(createPollHandler(dependencies, (error, platform) => logger.error('poll failed', { platform, error: error as Error })))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
