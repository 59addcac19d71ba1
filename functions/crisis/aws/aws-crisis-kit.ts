import { SESv2Client } from '@aws-sdk/client-sesv2';
import { EventBridgePublisher } from '../../aws/event-bridge-publisher.js';
import { dynamoClient, loadSettings, requiredEnv, tracer } from '../../aws/lambda-runtime.js';
import { settingsFrom } from '../../core/config.js';
import { SqsCommandQueue } from '../../aws/sqs-command-queue.js';
import { systemClock } from '../../core/ports.js';
import { once } from '../../core/provider.js';
import { LiveSender, SandboxSender } from '../../core/outbound/index.js';
import { SesEmailSender } from '../../escalation/email.js';
import { findConfigPath, parseFoghornConfig, readFoghornConfig } from '../../rules/index.js';
import { dynamoCrisisStores } from '../../storage/dynamo/crisis-stores.js';
import { DynamoEventStore } from '../../storage/dynamo/event-store.js';
import { CrisisKit } from '../crisis-kit.js';

/**
 * The crisis kit as a Lambda builds it, once per container: the stores on the table, the bundled
 * team config, commands to the actions queue, breach events stored and put on the bus, email by SES.
 * Every piece is optional per function: only what is called needs its environment variable.
 */
export const awsCrisisKit = once(async () => {
  const client = await dynamoClient();
  const table = { client, tableName: requiredEnv('TABLE_NAME') };
  // Functions without the secret (evaluate, sweep) never send: plain environment settings are enough there.
  const settings = process.env.FOGHORN_SECRET_ARN ? await loadSettings() : settingsFrom(process.env);
  const configPath = process.env.FOGHORN_CONFIG ?? findConfigPath(process.env.FOGHORN_RULES ?? 'rules');
  const config = configPath === undefined ? parseFoghornConfig({}) : readFoghornConfig(configPath);
  const events = new DynamoEventStore(table);
  let queue: SqsCommandQueue | undefined;
  let bus: EventBridgePublisher | undefined;
  const kit = new CrisisKit({
    stores: dynamoCrisisStores(table), config: () => config, settings, clock: systemClock,
    forceSandbox: process.env.FOGHORN_SANDBOX === 'true',
    live: new LiveSender(), sandbox: new SandboxSender(),
    email: new SesEmailSender(tracer.captureAWSv3Client(new SESv2Client({}))),
    foghornBaseUrl: () => settings.get('FOGHORN_PUBLIC_URL') ?? 'https://foghorn.invalid',
    dispatch: async (commands) => {
      queue ??= new SqsCommandQueue({ queueUrl: requiredEnv('ACTIONS_QUEUE_URL') });
      await queue.send(commands);
    },
    emit: async (event) => {
      const stored = await events.putIfAbsent(event);
      if (stored.published) return;
      bus ??= new EventBridgePublisher({ busName: requiredEnv('BUS_NAME') });
      await bus.publish([event]);
      await events.markPublished(event.id);
    },
  });
  kit.settings();
  return kit;
});
