import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { type Settings, settingsFrom } from '../core/settings.js';

/**
 * Reads a `.env` file (KEY=VALUE lines, quotes, `#` comments, an optional `export ` prefix) into `env`
 * without overriding a variable that is already set: the real environment wins, as with `node --env-file`.
 * Parsing is Node's own (util.parseEnv); process.loadEnvFile is not used because it can only write to
 * process.env. A missing file is not an error (returns []); the names set are returned.
 */
export function loadDotEnv(path: string, env: NodeJS.ProcessEnv = process.env): string[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`could not read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const assigned: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(content))) {
    if (value === undefined || env[name] !== undefined) continue;
    env[name] = value;
    assigned.push(name);
  }
  return assigned;
}

/** The settings as the environment holds them now (after loadDotEnv); empty values count as unset. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  return settingsFrom(env);
}
