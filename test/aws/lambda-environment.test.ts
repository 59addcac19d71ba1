import { describe, expect, it } from 'vitest';
import { LambdaEnvironment } from '../../functions/aws/lambda-environment.js';

describe('LambdaEnvironment', () => {
  it('reads what the stack sets, and names a required variable that is missing when it is first read', () => {
    const env = new LambdaEnvironment({ TABLE_NAME: 'foghorn', FOGHORN_SANDBOX: 'true', BUS_NAME: '' });
    expect(env.tableName).toBe('foghorn');
    expect(env.sandbox).toBe(true);
    expect(() => env.busName).toThrow('environment variable BUS_NAME is not set (the CDK stack sets it)');
    expect(() => env.actionsQueueUrl).toThrow(/ACTIONS_QUEUE_URL/);
    expect(env.secretArn).toBeUndefined();
    expect(env.rulesDir).toBe('rules');
  });

  it('takes a whole number of milliseconds for the action lease, and refuses anything else by name', () => {
    expect(new LambdaEnvironment({}).actionLeaseMs).toBeUndefined();
    expect(new LambdaEnvironment({ FOGHORN_ACTION_LEASE_MS: '45000' }).actionLeaseMs).toBe(45_000);
    expect(() => new LambdaEnvironment({ FOGHORN_ACTION_LEASE_MS: '30s' }).actionLeaseMs).toThrow(
      /FOGHORN_ACTION_LEASE_MS must be a whole number of milliseconds, got '30s'/,
    );
  });
});
