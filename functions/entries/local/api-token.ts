import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../core/settings.js';

/** Where the runtime writes the token it made for this start, for the CLI on the same machine. */
export const API_TOKEN_FILE = 'api-token';
const MIN_LENGTH = 16;

export interface ApiToken {
  /** True when `presented` is the token; the comparison's time does not depend on where they differ. */
  matches(presented: string): boolean;
  /** `FOGHORN_API_TOKEN`, or the file the runtime wrote its own to. */
  source: { setting: 'FOGHORN_API_TOKEN' } | { file: string };
}

/**
 * The API token (an admin credential for the CLI and scripts): FOGHORN_API_TOKEN when it is set, else a new
 * random one for each start, written to `<data folder>/api-token` readable by its owner only (0600).
 */
export function localApiToken(settings: Settings, dataDir: string): ApiToken {
  const configured = settings.get('FOGHORN_API_TOKEN');
  if (configured !== undefined && configured.trim().length < MIN_LENGTH) {
    throw new Error(`FOGHORN_API_TOKEN must be at least ${MIN_LENGTH} characters (openssl rand -hex 32 makes one)`);
  }
  const token = configured?.trim() ?? randomBytes(32).toString('base64url');
  const expected = sha256(token);
  const matches = (presented: string) => timingSafeEqual(sha256(presented), expected);
  if (configured !== undefined) return { matches, source: { setting: 'FOGHORN_API_TOKEN' } };
  const file = join(dataDir, API_TOKEN_FILE);
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${token}\n`, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, file);
  return { matches, source: { file } };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
