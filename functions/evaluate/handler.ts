import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SqsCommandQueue } from '../aws/sqs-command-queue.js';
import { dynamoClient, logger, metrics, requiredEnv, tracer } from '../aws/lambda-runtime.js';
import { systemClock } from '../core/ports.js';
import { once } from '../core/provider.js';
import { DynamoDecisionStore } from '../storage/dynamo/decision-store.js';
import { DynamoRuleState } from '../storage/dynamo/rule-state.js';
import { createEvaluateHandler } from './evaluate-handler.js';
// Crisis issue: spikes, SLA timers and the crisisMode fact around the rule set.
import { awsCrisisKit } from '../crisis/aws/aws-crisis-kit.js';
import { loadDeployedRules } from './load-rules.js';

// The rule set ships inside the bundle, validated at synth (no YAML, no schema checks here); loaded once per container.
const dependencies = once(async () => {
  const client = await dynamoClient();
  const tableName = requiredEnv('TABLE_NAME');
  // One compilation serves both the rule set and its crisis options (volume, after, crisisReply).
  const { ruleSet: baseRuleSet, crisisOptions } = await loadDeployedRules(requiredEnv('FOGHORN_COMPILED_RULES'));
  const ruleSet = (await awsCrisisKit()).ruleSet(baseRuleSet, () => crisisOptions);
  return {
    ruleSet: () => ruleSet,
    state: new DynamoRuleState({ client, tableName }),
    decisions: new DynamoDecisionStore({ client, tableName }),
    queue: new SqsCommandQueue({ queueUrl: requiredEnv('ACTIONS_QUEUE_URL') }),
    clock: systemClock,
  };
});

export const handler = middy(createEvaluateHandler(dependencies, (error, messageId) => logger.error('evaluate failed', { messageId, error: error as Error })))
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
