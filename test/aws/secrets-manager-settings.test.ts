import { type GetSecretValueCommand, type GetSecretValueCommandOutput, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { SettingsSecretError } from '../../functions/aws/errors.js';
import { secretsManagerSettings } from '../../functions/aws/secrets-manager-settings.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { loopbackClientConfig, startAwsJsonServer } from './loopback-aws.js';
import { RecordingClient } from './recorder.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:foghorn-settings-AbCdEf';

function secretHolding(...values: string[]): RecordingClient<GetSecretValueCommand, GetSecretValueCommandOutput> {
  return new RecordingClient((_command, call) => ({
    ARN: SECRET_ARN,
    SecretString: values[Math.min(call, values.length - 1)],
    $metadata: {},
  }));
}

function manualClock(start = 0) {
  let now = start;
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('secretsManagerSettings', () => {
  it('reads the secret with GetSecretValue and answers its keys', async () => {
    const client = secretHolding(
      JSON.stringify({ FOGHORN_GENERIC_SECRET: 's3cret', FOGHORN_GENERIC_REPLY_URL: 'https://hooks.example/reply' }),
    );
    const settings = await secretsManagerSettings({ secretId: SECRET_ARN, client })();
    expect(client.inputs).toEqual([{ SecretId: SECRET_ARN }]);
    expect(settings.get('FOGHORN_GENERIC_SECRET')).toBe('s3cret');
    expect(settings.get('FOGHORN_GENERIC_REPLY_URL')).toBe('https://hooks.example/reply');
    expect(settings.get('FOGHORN_SLACK_BOT_TOKEN')).toBeUndefined();
  });

  it('reads the secret once per TTL, and again after it', async () => {
    const clock = manualClock();
    const client = secretHolding(JSON.stringify({ FOGHORN_X: 'first' }), JSON.stringify({ FOGHORN_X: 'rotated' }));
    const load = secretsManagerSettings({ secretId: SECRET_ARN, client, ttlMs: 60_000, clock });
    expect((await load()).get('FOGHORN_X')).toBe('first');
    clock.advance(59_999);
    expect((await load()).get('FOGHORN_X')).toBe('first');
    expect(client.commands).toHaveLength(1);
    clock.advance(1);
    expect((await load()).get('FOGHORN_X')).toBe('rotated');
    expect(client.commands).toHaveLength(2);
  });

  it('shares one request between concurrent first calls', async () => {
    const client = secretHolding(JSON.stringify({ FOGHORN_X: 'v' }));
    const load = secretsManagerSettings({ secretId: SECRET_ARN, client });
    const all = await Promise.all([load(), load(), load()]);
    expect(all.map((s) => s.get('FOGHORN_X'))).toEqual(['v', 'v', 'v']);
    expect(client.commands).toHaveLength(1);
  });

  it('does not cache a failed read: the next call tries again', async () => {
    const client = new RecordingClient<GetSecretValueCommand, GetSecretValueCommandOutput>((_command, call) => {
      if (call === 0)
        throw Object.assign(new Error('User is not authorized to perform secretsmanager:GetSecretValue'), {
          name: 'AccessDeniedException',
        });
      return { SecretString: JSON.stringify({ FOGHORN_X: 'v' }), $metadata: {} };
    });
    const load = secretsManagerSettings({ secretId: SECRET_ARN, client });
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsSecretError);
    expect((error as Error).message).toContain(SECRET_ARN);
    expect((error as Error).message).toContain('AccessDeniedException');
    expect((await load()).get('FOGHORN_X')).toBe('v');
  });

  it('falls back for names the secret does not hold; the secret wins where both have one', async () => {
    const client = secretHolding(JSON.stringify({ FOGHORN_GENERIC_SECRET: 'from-secret' }));
    const fallback = settingsFrom({ FOGHORN_GENERIC_SECRET: 'from-env', FOGHORN_PORT: '8787' });
    const settings = await secretsManagerSettings({ secretId: SECRET_ARN, client, fallback })();
    expect(settings.get('FOGHORN_GENERIC_SECRET')).toBe('from-secret');
    expect(settings.get('FOGHORN_PORT')).toBe('8787');
  });

  it('keeps numbers and booleans as strings and treats null or empty as unset', async () => {
    const client = secretHolding(JSON.stringify({ A: 42, B: true, C: null, D: '' }));
    const settings = await secretsManagerSettings({ secretId: SECRET_ARN, client })();
    expect([settings.get('A'), settings.get('B'), settings.get('C'), settings.get('D')]).toEqual(['42', 'true', undefined, undefined]);
  });

  it.each([
    ['not JSON', 'token-abc123-not-json', /is not valid JSON/],
    ['an array', '["a"]', /must hold a JSON object.*an array/],
    ['a string', '"plain"', /must hold a JSON object.*string/],
    ['a nested object', '{"FOGHORN_X": {"a": 1}}', /key FOGHORN_X must be a string, not object/],
  ])('refuses a secret that is %s, without quoting it', async (_what, secretString, message) => {
    const error = await secretsManagerSettings({ secretId: SECRET_ARN, client: secretHolding(secretString) })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsSecretError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('abc123');
  });

  it('refuses a binary secret', async () => {
    const client = new RecordingClient<GetSecretValueCommand, GetSecretValueCommandOutput>(() => ({
      SecretBinary: new Uint8Array([1]),
      $metadata: {},
    }));
    await expect(secretsManagerSettings({ secretId: SECRET_ARN, client })()).rejects.toThrow(/has no SecretString/);
  });

  it('requires a secret id and says where it comes from', () => {
    expect(() => secretsManagerSettings({ secretId: '' })).toThrow(/FOGHORN_SECRET_ARN/);
  });

  it('works with a real SecretsManagerClient (wire request checked on a loopback server)', async () => {
    const server = await startAwsJsonServer(() => ({ ARN: SECRET_ARN, Name: 'foghorn-settings', SecretString: '{"FOGHORN_X":"v"}' }));
    try {
      const client = new SecretsManagerClient(loopbackClientConfig(server.endpoint));
      const settings = await secretsManagerSettings({ secretId: SECRET_ARN, client })();
      expect(settings.get('FOGHORN_X')).toBe('v');
      expect(server.calls).toEqual([{ target: 'secretsmanager.GetSecretValue', body: { SecretId: SECRET_ARN } }]);
      client.destroy();
    } finally {
      await server.close();
    }
  });
});
