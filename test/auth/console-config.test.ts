import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { parseConsoleSection } from '../../functions/auth/console-config.js';
import { SignInBusyError } from '../../functions/auth/errors.js';
import { hashPassword } from '../../functions/auth/password.js';
import { UserDirectory } from '../../functions/auth/user-directory.js';
import { readFoghornConfig } from '../../functions/rules/config.js';

const QUICK = { N: 2 ** 14, r: 8, p: 1 };

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'foghorn-console-')), 'foghorn.config.yaml');
  writeFileSync(path, text);
  return path;
}

describe('console.users in foghorn.config.yaml', () => {
  it('reads each user with name, role and password hash', async () => {
    const password = await hashPassword('pw', QUICK);
    const value = parseYaml(
      `console:\n  users:\n    - { name: maya, role: lead, password: "${password}" }\n    - { name: "رضا", role: viewer, password: "${password}" }\n`,
    );

    expect(parseConsoleSection(value.console)).toEqual([
      { name: 'maya', role: 'lead', password },
      { name: 'رضا', role: 'viewer', password },
    ]);
    expect(parseConsoleSection(undefined)).toEqual([]);
    expect(parseConsoleSection({ users: null })).toEqual([]);
  });

  it('reports every problem with the file, its line and the field, and suggests the role meant', async () => {
    const password = await hashPassword('pw', QUICK);
    const path = configFile(
      [
        'timezone: UTC',
        'console:',
        '  users:',
        `    - name: maya`,
        `      role: agnet`,
        `      password: "${password}"`,
        '    - name: li',
        '      role: viewer',
        '      password: hunter2',
        `    - { name: maya, role: lead, password: "${password}" }`,
        '    - { name: sam, rol: lead }',
        '',
      ].join('\n'),
    );

    // The team config check runs the console section's check with the rest (functions/app/rule-language.ts).
    const error = (() => {
      try {
        readFoghornConfig(path, { extensions: ruleLanguage });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('the config was accepted');
    })();

    expect(error.message.split('\n')).toEqual([
      `${path}: invalid console section:`,
      `  ${path}:5: console.users[0].role: unknown role 'agnet' (did you mean 'agent'?): one of viewer, agent, lead, admin`,
      `  ${path}:9: console.users[1].password: is not a password hash: never a plain password; paste what \`foghorn users add NAME --role ROLE\` prints`,
      `  ${path}:10: console.users[2].name: a second user named 'maya' (the first is users[0])`,
      `  ${path}:11: console.users[3].rol: unknown key 'rol' (did you mean 'role'?): a user has name, role and password`,
      `  ${path}:11: console.users[3].role: is required: one of viewer, agent, lead, admin`,
      `  ${path}:11: console.users[3].password: is required: the scrypt hash that \`foghorn users add NAME --role ROLE\` prints`,
    ]);
  });

  it('refuses a users section that is not a list, and a name the audit log cannot show', () => {
    expect(() => parseConsoleSection({ users: { maya: 'lead' } })).toThrow(/console.users: must be a list of \{ name, role, password \}/);
    expect(() => parseConsoleSection({ users: [{ name: 'has space', role: 'viewer', password: 'x' }] })).toThrow(
      /console.users\[0\].name: must be letters/,
    );
  });
});

describe('the user directory', () => {
  it('signs in with the right password only, and an unknown name alike', async () => {
    const path = configFile(`console:\n  users:\n    - { name: maya, role: lead, password: "${await hashPassword('s3cret', QUICK)}" }\n`);
    const users = new UserDirectory(path);

    expect(await users.authenticate('maya', 's3cret')).toEqual({ name: 'maya', role: 'lead' });
    expect(await users.authenticate('maya', 's3cret ')).toBeUndefined();
    expect(await users.authenticate('nobody', 's3cret')).toBeUndefined();
  });

  it('reads the file again when it changes, and keeps the users it had when the change does not parse', async () => {
    const password = await hashPassword('pw', QUICK);
    const path = configFile(`console:\n  users:\n    - { name: maya, role: agent, password: "${password}" }\n`);
    const errors: string[] = [];
    const users = new UserDirectory(path, (error) => errors.push(error.message));

    writeFileSync(
      path,
      `console:\n  users:\n    - { name: maya, role: lead, password: "${password}" }\n    - { name: li, role: viewer, password: "${password}" }\n`,
    );
    expect(users.list().map((user) => `${user.name}:${user.role}`)).toEqual(['maya:lead', 'li:viewer']);

    writeFileSync(path, 'console:\n  users:\n    - { name: maya, role: boss, password: "x" }\n');
    expect(users.list().map((user) => `${user.name}:${user.role}`)).toEqual(['maya:lead', 'li:viewer']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`${path}:3: console.users[0].role: unknown role 'boss'`);
  });

  it('checks two passwords at a time with a few waiting, and refuses a flood beyond that rather than running it', async () => {
    const path = configFile(`console:\n  users:\n    - { name: maya, role: lead, password: "${await hashPassword('s3cret', QUICK)}" }\n`);
    const users = new UserDirectory(path);

    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => users.authenticate('maya', 's3cret')));

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(18);
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(refused.map((outcome) => outcome.reason)).toEqual([expect.any(SignInBusyError), expect.any(SignInBusyError)]);
    expect(await users.authenticate('maya', 's3cret')).toEqual({ name: 'maya', role: 'lead' });
  });

  it('refuses to start over a users section that does not parse', () => {
    const path = configFile('console:\n  users:\n    - { name: maya, role: boss }\n');

    expect(() => new UserDirectory(path)).toThrow(/unknown role 'boss'/);
  });
});
