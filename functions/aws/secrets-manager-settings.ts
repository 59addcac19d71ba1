import type { GetSecretValueCommand, GetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { type Clock, systemClock } from '../core/ports.js';
import type { Settings } from '../core/settings.js';
import { SettingsSecretError } from './errors.js';

/** The part of SecretsManagerClient this adapter uses; tests hand in a recorder. */
export interface GetSecretValueSender {
  send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput>;
}

export interface SecretsManagerSettingsOptions {
  /** ARN or name of the one secret holding the `FOGHORN_*` keys (the stack passes FOGHORN_SECRET_ARN). */
  secretId: string;
  /** Default: a SecretsManagerClient for the function's own region and credentials, built on first load. */
  client?: GetSecretValueSender;
  /** How long a loaded secret is served before it is read again, so a rotated token is picked up. */
  ttlMs?: number;
  /** Asked for names the secret does not hold (for example non-secret settings from the environment). */
  fallback?: Settings;
  clock?: Clock;
}

/** Resolves to the current settings; call it per invocation, it reads Secrets Manager at most once per TTL. */
export type SettingsLoader = () => Promise<Settings>;

/** Loaded on first read, so a function without the secret never loads the Secrets Manager client at its cold start. */
const secretsManager = () => import('@aws-sdk/client-secrets-manager');

const DEFAULT_TTL_MS = 5 * 60_000;

/**
 * Settings from one Secrets Manager secret whose SecretString is a JSON object of `FOGHORN_*` keys.
 * Create the loader once per container (module scope); concurrent first calls share one request, and a
 * failed read is not cached, so the next invocation tries again.
 */
export function secretsManagerSettings(options: SecretsManagerSettingsOptions): SettingsLoader {
  if (!options.secretId) throw new TypeError('secretsManagerSettings: secretId is required (set FOGHORN_SECRET_ARN)');
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const clock = options.clock ?? systemClock;
  let client = options.client;
  let cached: { settings: Promise<Settings>; loadedAt: number } | undefined;

  return () => {
    const now = clock.now().getTime();
    if (cached && now - cached.loadedAt < ttlMs) return cached.settings;
    const settings = secretsManager()
      .then(({ SecretsManagerClient, GetSecretValueCommand }) => {
        client ??= new SecretsManagerClient({});
        return readSecret(client, options.secretId, GetSecretValueCommand);
      })
      .then((values) => settingsOver(values, options.fallback));
    const entry = { settings, loadedAt: now };
    cached = entry;
    settings.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return settings;
  };
}

async function readSecret(
  client: GetSecretValueSender,
  secretId: string,
  GetSecretValueCommand: typeof import('@aws-sdk/client-secrets-manager').GetSecretValueCommand,
): Promise<ReadonlyMap<string, string>> {
  let output: GetSecretValueCommandOutput;
  try {
    output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new SettingsSecretError(`could not read settings secret ${secretId}: ${reason}`, { cause: error });
  }
  if (output.SecretString === undefined)
    throw new SettingsSecretError(`settings secret ${secretId} has no SecretString (binary secrets are not supported)`);
  return parseSecretObject(secretId, output.SecretString);
}

/** Never quotes the secret's text in an error: a parse message could carry part of a token. */
export function parseSecretObject(secretId: string, secretString: string): ReadonlyMap<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new SettingsSecretError(
      `settings secret ${secretId} is not valid JSON; expected an object such as {"FOGHORN_GENERIC_SECRET": "..."}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SettingsSecretError(
      `settings secret ${secretId} must hold a JSON object of names to strings, not ${Array.isArray(parsed) ? 'an array' : typeof parsed}`,
    );
  }
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed)) {
    if (value === null || value === '') continue;
    if (typeof value === 'string') values.set(name, value);
    else if (typeof value === 'number' || typeof value === 'boolean') values.set(name, String(value));
    else
      throw new SettingsSecretError(
        `settings secret ${secretId}: key ${name} must be a string, not ${Array.isArray(value) ? 'an array' : typeof value}`,
        { detail: { key: name } },
      );
  }
  return values;
}

function settingsOver(values: ReadonlyMap<string, string>, fallback: Settings | undefined): Settings {
  return { get: (name) => values.get(name) ?? fallback?.get(name) };
}
