import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDotEnv, settingsFromEnv } from '../../functions/local/dotenv.js';

describe('loadDotEnv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'foghorn-env-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads KEY=VALUE lines with quotes, comments and export prefixes, without overriding what is set', async () => {
    // Prepare
    const path = join(dir, '.env');
    await writeFile(
      path,
      [
        '# Foghorn settings',
        'FOGHORN_PORT=9999',
        'export FOGHORN_RULES=./my-rules',
        'FOGHORN_GENERIC_SECRET="s3cret # not a comment"',
        "FOGHORN_GENERIC_REPLY_URL='http://127.0.0.1:4000/reply'",
        'FOGHORN_DATA=.data # trailing comment',
        'MULTI="line one\\nline two"',
        '',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = { FOGHORN_PORT: '8787' };

    // Act
    const assigned = loadDotEnv(path, env);

    // Assess
    expect(env).toEqual({
      FOGHORN_PORT: '8787',
      FOGHORN_RULES: './my-rules',
      FOGHORN_GENERIC_SECRET: 's3cret # not a comment',
      FOGHORN_GENERIC_REPLY_URL: 'http://127.0.0.1:4000/reply',
      FOGHORN_DATA: '.data',
      MULTI: 'line one\nline two',
    });
    expect(assigned).not.toContain('FOGHORN_PORT');
    expect(assigned).toHaveLength(5);
  });

  it('treats a missing file as nothing to load', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(loadDotEnv(join(dir, 'absent.env'), env)).toEqual([]);
    expect(env).toEqual({});
  });

  it('names the file it could not read', () => {
    expect(() => loadDotEnv(dir, {})).toThrow(new RegExp(`could not read ${dir}`));
  });
});

describe('settingsFromEnv', () => {
  it('answers set variables and treats empty ones as unset', () => {
    const settings = settingsFromEnv({ FOGHORN_PORT: '8080', FOGHORN_DATA: '' });
    expect(settings.get('FOGHORN_PORT')).toBe('8080');
    expect(settings.get('FOGHORN_DATA')).toBeUndefined();
    expect(settings.get('FOGHORN_RULES')).toBeUndefined();
  });
});
