import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { settingsFrom, type Settings } from '../core/config.js';
import { once } from '../core/provider.js';
import { secretsManagerSettings } from './secrets-manager-settings.js';

/** What every Lambda handler shares; built lazily so importing a handler in a test touches no AWS. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'foghorn' });
export const metrics = new Metrics({ namespace: 'Foghorn', serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'foghorn' });
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'foghorn' });

/** An environment variable the stack always sets; a clear error names the one that is missing. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the CDK stack sets it)`);
  return value;
}

export const dynamoClient = once(async () => tracer.captureAWSv3Client(new DynamoDBClient({})));

/** Settings: the Secrets Manager secret's keys first, then plain (non-secret) environment values. */
export const loadSettings: () => Promise<Settings> = (() => {
  let loader: (() => Promise<Settings>) | undefined;
  return () => {
    loader ??= secretsManagerSettings({ secretId: requiredEnv('FOGHORN_SECRET_ARN'), fallback: settingsFrom(process.env) });
    return loader();
  };
})();
