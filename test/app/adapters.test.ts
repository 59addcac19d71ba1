import { describe, expect, it } from 'vitest';
import { actionExecutors } from '../../functions/app/action-executors.js';
import { awsAdapters } from '../../functions/app/aws-adapters.js';
import { readBundledTeamConfig } from '../../functions/app/bundled-team-config.js';
import { crisisKitOf } from '../../functions/app/crisis-kit-of.js';
import { localAdapters } from '../../functions/app/local-adapters.js';
import { topology } from '../../functions/app/topology.js';
import { watchedRuleSource } from '../../functions/app/watched-rule-source.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const lambdaEnv = { TABLE_NAME: 'foghorn', FOGHORN_RULES: 'rules', AWS_REGION: 'us-east-1' };

describe('the AWS and local adapters', () => {
  const dynamo = useEmbeddedDynamo();

  async function local() {
    const rules = await watchedRuleSource('rules', quiet);
    const adapters = await localAdapters({
      table: dynamo.current,
      rules,
      settings: settingsFrom({}),
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
