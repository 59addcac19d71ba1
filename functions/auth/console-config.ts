import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { suggestion } from '../rules/conditions.js';
import { ConsoleConfigError } from './errors.js';
import { parsePasswordHash } from './password.js';
import { isRole, ROLES, type Role } from './roles.js';

/**
 * The `console:` section of foghorn.config.yaml: who may sign in to the local console, with which role.
 *
 *   console:
 *     users:
 *       - { name: maya, role: lead, password: "scrypt$N=131072,r=8,p=1$…$…" }   # foghorn users add maya --role lead
 *
 * Every problem is reported at once, each with the file, its line and the field. Other keys of the section
 * are left to whoever owns them.
 */

export interface ConsoleUser {
  name: string;
  role: Role;
  /** `scrypt$…`, as `foghorn users add` prints it. */
  password: string;
}

/** A name the audit log can show as `user:<name>`: letters and digits of any script, then `.`, `_`, `@` or `-`, up to 64. */
export const USER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u;

interface Problem {
  path: Array<string | number>;
  message: string;
}

/** The users of a `console:` section (absent: none); ConsoleConfigError lists every problem with its line in `source`. */
export function parseConsoleSection(value: unknown, source = 'foghorn.config.yaml'): ConsoleUser[] {
  const problems: Problem[] = [];
  const users = usersOf(value, problems);
  if (problems.length > 0) {
    const lineOf = lineLocator(source);
    const lines = problems.map(({ path, message }) => `  ${source}:${lineOf(path)}: ${pathText(path)}: ${message}`);
    throw new ConsoleConfigError(`${source}: invalid console section:\n${lines.join('\n')}`, { problems });
  }
  return users;
}

function usersOf(value: unknown, problems: Problem[]): ConsoleUser[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ path: ['console'], message: 'must be a mapping, such as console: { users: [...] }' });
    return [];
  }
  const list = (value as Record<string, unknown>).users;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.push({ path: ['console', 'users'], message: 'must be a list of { name, role, password }' });
    return [];
  }
  const users: ConsoleUser[] = [];
  const firstIndex = new Map<string, number>();
  for (const [index, entry] of list.entries()) {
    // A repeated name is reported even when either entry has other problems.
    const name = (entry as { name?: unknown } | null)?.name;
    const earlier = typeof name === 'string' ? firstIndex.get(name) : undefined;
    if (earlier !== undefined) {
      problems.push({
        path: ['console', 'users', index, 'name'],
        message: `a second user named '${String(name)}' (the first is users[${earlier}])`,
      });
      continue;
    }
    if (typeof name === 'string') firstIndex.set(name, index);
    const user = userOf(entry, ['console', 'users', index], problems);
    if (user) users.push(user);
  }
  return users;
}

function userOf(entry: unknown, path: Array<string | number>, problems: Problem[]): ConsoleUser | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    problems.push({ path, message: 'must be a mapping { name, role, password }' });
    return undefined;
  }
  const fields = entry as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(fields)) {
    if (!['name', 'role', 'password'].includes(key))
      problems.push({
        path: [...path, key],
        message: `unknown key '${key}'${suggestion(key, ['name', 'role', 'password'])}: a user has name, role and password`,
      });
  }
  const { name, role, password } = fields;
  if (typeof name !== 'string' || !USER_NAME.test(name)) {
    problems.push({
      path: [...path, 'name'],
      message:
        name === undefined ? 'is required' : 'must be letters or digits, then letters, digits, ".", "_", "@" or "-", up to 64 characters',
    });
  }
  if (!isRole(role)) {
    problems.push({
      path: [...path, 'role'],
      message:
        role === undefined
          ? `is required: one of ${ROLES.join(', ')}`
          : `unknown role '${String(role)}'${suggestion(String(role), ROLES)}: one of ${ROLES.join(', ')}`,
    });
  }
  if (typeof password !== 'string') {
    problems.push({
      path: [...path, 'password'],
      message: 'is required: the scrypt hash that `foghorn users add NAME --role ROLE` prints',
    });
  } else if (!password.startsWith('scrypt$')) {
    problems.push({
      path: [...path, 'password'],
      message: 'is not a password hash: never a plain password; paste what `foghorn users add NAME --role ROLE` prints',
    });
  } else {
    try {
      parsePasswordHash(password);
    } catch (error) {
      problems.push({ path: [...path, 'password'], message: (error as Error).message });
    }
  }
  if (problems.length > before) return undefined;
  return { name: name as string, role: role as Role, password: password as string };
}

function pathText(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');
}

/** The line of a path in the YAML file `source`; 0 when the file cannot be read or the path is not in it. */
export function lineLocator(source: string): (path: ReadonlyArray<string | number>) => number {
  let text: string | undefined;
  try {
    text = existsSync(source) ? readFileSync(source, 'utf8') : undefined;
  } catch {
    text = undefined;
  }
  if (text === undefined) return () => 0;
  // Loaded only to report a mistake: the Lambda bundles check this section too and must not carry a YAML parser
  // (their config was checked at synth, so there the lines are never needed).
  let yaml: typeof import('yaml');
  try {
    yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  } catch {
    return () => 0;
  }
  const { isNode, LineCounter, parseDocument } = yaml;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  return (path) => {
    for (let length = path.length; length > 0; length--) {
      // A field that is absent: the line of the nearest enclosing node that is there.
      const node = document.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return 0;
  };
}
