import { describe, expect, it } from 'vitest';
import { actionExecutors } from '../../functions/app/action-executors.js';
import { awsAdapters } from '../../functions/app/aws-adapters.js';
import { readBundledTeamConfig } from '../../functions/app/bundled-team-config.js';
import { crisisKitOf } from '../../functions/app/crisis-kit-of.js';
import { localAdapters } from '../../functions/app/local-adapters.js';
import { MemorySendRateLimiter } from '../../functions/app/send-rate-guard.js';
import { topology } from '../../functions/app/topology.js';
import { watchedRuleSource } from '../../functions/app/watched-rule-source.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { DEFAULT_SEND_RATES } from '../../functions/platforms/send-rates.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const lambdaEnv = { TABLE_NAME: 'foghorn', FOGHORN_RULES: 'rules', AWS_REGION: 'us-east-1' };

describe('the AWS and local adapters', () => {
  const dynamo = useEmbeddedDynamo();

  async function local(env: Record<string, string> = {}) {
    const rules = await watchedRuleSource('rules', quiet);
    const adapters = await localAdapters({
      table: dynamo.current,
      rules,
      settings: settingsFrom(env),
      logger: quiet,
      foghornBaseUrl: () => 'http://127.0.0.1:8787',
    });
    return { adapters, close: () => rules.close() };
  }

  it('build a member only when it is used, so a function needs only the environment of what it uses', async () => {
    const adapters = await awsAdapters({ logger: quiet, env: {} })();
    expect(adapters.clock.now()).toBeInstanceOf(Date);
    expect(() => adapters.events).toThrow('environment variable TABLE_NAME is not set (the CDK stack sets it)');
    expect(() => adapters.actionsQueue).toThrow(/ACTIONS_QUEUE_URL/);
  });

  it('protect a claimed action for the same time on both runtimes, unless FOGHORN_ACTION_LEASE_MS says otherwise', async () => {
    const { adapters, close } = await local();
    try {
      expect((await awsAdapters({ logger: quiet, env: {} })()).actionLeaseMs).toBe(topology.actionLeaseMs);
      expect(adapters.actionLeaseMs).toBe(topology.actionLeaseMs);
      expect((await awsAdapters({ logger: quiet, env: { FOGHORN_ACTION_LEASE_MS: '5000' } })()).actionLeaseMs).toBe(5000);
    } finally {
      close();
    }
  });

  it("pace the local runtime's live sends by each platform's default rate, or the one FOGHORN_SEND_RATES sets, and refuse a bad one by name", async () => {
    const { adapters, close } = await local({ FOGHORN_SEND_RATES: '{"telegram":{"rateLimit":1,"burstLimit":2}}' });
    try {
      expect(adapters.sendRates?.rates.telegram).toEqual({ rateLimit: 1, burstLimit: 2 });
      expect(adapters.sendRates?.rates.x).toEqual(DEFAULT_SEND_RATES.x);
      expect(adapters.sendRates?.liveOnly).toBe(true);
      expect(adapters.sendRates?.limiter).toBeInstanceOf(MemorySendRateLimiter);
    } finally {
      close();
    }
    await expect(local({ FOGHORN_SEND_RATES: '{"telegram":' })).rejects.toThrow('FOGHORN_SEND_RATES is not JSON');
    await expect(local({ FOGHORN_SEND_RATES: '{"myspace":{"rateLimit":1,"burstLimit":1}}' })).rejects.toThrow(
      "sendRates.myspace: Foghorn sends nothing to 'myspace'",
    );
  });

  it('get the same executor for every action type on both runtimes', async () => {
    const aws = await awsAdapters({ logger: quiet, env: lambdaEnv, yamlTeamConfig: async (env) => readBundledTeamConfig(env) })();
    const { adapters, close } = await local();
    try {
      const onAws = Object.keys(actionExecutors(aws, await crisisKitOf(aws))).sort();
      const locally = Object.keys(actionExecutors(adapters, await crisisKitOf(adapters))).sort();
      expect(onAws).toEqual(['assign', 'crisis', 'escalate', 'hold', 'post', 'reply', 'tag']);
      expect(locally).toEqual(onAws);
    } finally {
      close();
    }
  });
});
