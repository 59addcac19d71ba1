import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { parseConsoleSection } from '../../functions/auth/console-config.js';
import { verifyPassword } from '../../functions/auth/password.js';

function io(stdin: string) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    cwd: process.cwd(),
    stdin: Readable.from([stdin]),
  };
  return { value, out, err };
}

describe('foghorn users add', () => {
  it('reads the password from a pipe and prints a console.users entry that signs in with it', async () => {
    const run = io('a long password\n');

    expect(await main(['users', 'add', 'maya', '--role', 'lead'], run.value)).toBe(0);

    expect(run.out).toHaveLength(1);
    const [user] = parseConsoleSection({ users: parseYaml(run.out[0]!) });
    expect(user).toMatchObject({ name: 'maya', role: 'lead' });
    expect(user!.password).toMatch(/^scrypt\$N=131072,r=8,p=1\$/);
    expect(await verifyPassword('a long password', user!.password)).toBe(true);
    expect(await verifyPassword('a long password\n', user!.password)).toBe(false);
    expect(run.err.join('\n')).toContain('paste under console: users:');
  });

  it('quotes a name in any script so the entry stays valid YAML', async () => {
    const run = io('یک رمز طولانی');

    expect(await main(['users', 'add', 'رضا', '--role', 'viewer'], run.value)).toBe(0);

    expect(parseConsoleSection({ users: parseYaml(run.out[0]!) })[0]).toMatchObject({ name: 'رضا', role: 'viewer' });
  });

  it.each([
    [['users', 'add', 'maya', '--role', 'agnet'], /argument 'agnet' is invalid\. Allowed choices are viewer, agent, lead, admin/],
    [['users', 'add', 'maya'], /required option '--role <role>' not specified/],
    [['users', 'add', '--role', 'lead'], /missing required argument 'name'/],
    [['users', 'add', 'has space', '--role', 'lead'], /'has space' is not a user name/],
    [['users', 'remove', 'maya'], /unknown command 'remove'/],
  ])('exits 2 on wrong usage: %j', async (argv, message) => {
    const run = io('a long password\n');

    expect(await main(argv, run.value)).toBe(2);

    expect(run.err.join('\n')).toMatch(message);
    expect(run.out).toEqual([]);
  });

  it('exits 1 on a password shorter than 8 characters, printing nothing to paste', async () => {
    const run = io('short\n');

    expect(await main(['users', 'add', 'maya', '--role', 'lead'], run.value)).toBe(1);

    expect(run.err.join('\n')).toContain('the password is too short: at least 8 characters');
    expect(run.out).toEqual([]);
  });

  it('works as a command in a pipeline (bin/foghorn.js, the password on stdin)', () => {
    const result = spawnSync(process.execPath, ['bin/foghorn.js', 'users', 'add', 'li', '--role', 'agent'], {
      input: 'piped password',
      encoding: 'utf8',
    });

    expect(result.status, result.stderr).toBe(0);
    expect(parseConsoleSection({ users: parseYaml(result.stdout) })[0]).toMatchObject({ name: 'li', role: 'agent' });
  });
});
