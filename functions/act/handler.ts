import middy from '@middy/core';
import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { dynamoClient, loadSettings, logger, metrics, requiredEnv, tracer } from '../aws/lambda-runtime.js';
import { systemClock } from '../core/ports.js';
import { once } from '../core/provider.js';
import { holdExecutor } from '../core/executors/hold.js';
import { platformExecutor } from '../core/executors/platform.js';
import { tagExecutor } from '../core/executors/tag.js';
import { LiveSender, SandboxSender, redactRequest } from '../core/outbound/index.js';
import { connectorFor, connectorSettingNames } from '../platforms/index.js';
import { secretValues } from '../core/config.js';
import { DynamoActionStore } from '../storage/dynamo/action-store.js';
import { DynamoEventStore } from '../storage/dynamo/event-store.js';
import { createActHandler } from './act-handler.js';
// Crisis issue: guarded replies/posts, approvals, escalate and crisis executors, audit.
import { awsCrisisKit } from '../crisis/aws/aws-crisis-kit.js';

const dependencies = once(async () => {
  const client = await dynamoClient();
  const tableName = requiredEnv('TABLE_NAME');
  const settings = await loadSettings();
  const sqs = tracer.captureAWSv3Client(new SQSClient({}));
  const secrets = secretValues(settings, connectorSettingNames());
  const platform = platformExecutor({
    connectorFor, settings, clock: systemClock, forceSandbox: process.env.FOGHORN_SANDBOX === 'true',
    live: new LiveSender(), sandbox: new SandboxSender(), redact: (request) => redactRequest(request, secrets),
  });
  return {
    actions: new DynamoActionStore({ client, tableName }),
    executors: (await awsCrisisKit()).executors({ reply: platform, post: platform, tag: tagExecutor(new DynamoEventStore({ client, tableName })), hold: holdExecutor }),
    clock: systemClock,
    leaseMs: 60_000,
    deadLetters: {
      send: async (command: { id: string }, error: string) => {
        await sqs.send(new SendMessageCommand({ QueueUrl: requiredEnv('ACTIONS_DLQ_URL'), MessageBody: JSON.stringify({ ...command, deadLetterReason: error }) }));
      },
    },
    delay: async (receiptHandle: string, ms: number) => {
      await sqs.send(new ChangeMessageVisibilityCommand({
        QueueUrl: requiredEnv('ACTIONS_QUEUE_URL'), ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(43_200, Math.ceil(ms / 1000)),
      }));
    },
  };
});

export const handler = middy(createActHandler(dependencies, (error, messageId) => logger.error('act failed', { messageId, error: error as Error })))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
