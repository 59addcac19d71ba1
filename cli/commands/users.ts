import { USER_NAME } from '../../functions/auth/console-config.js';
import { hashPassword } from '../../functions/auth/password.js';
import { isRole, ROLES } from '../../functions/auth/roles.js';
import { suggestion } from '../../functions/rules/conditions.js';
import { type Command, UsageError } from '../io.js';
import { readPassword } from './read-password.js';

const USAGE = 'foghorn users add NAME --role viewer|agent|lead|admin   (the password on stdin)';
const MIN_PASSWORD_LENGTH = 8;

/** `foghorn users add`: hashes a password read from stdin and prints the console.users entry that holds it. */
export const usersCommand: Command = {
  summary: 'add a console user (prints the entry to paste into foghorn.config.yaml)',
  usage: USAGE,
  async run(input, io) {
    const [verb, name, ...rest] = input.positionals;
    if (verb !== 'add') throw new UsageError(verb === undefined ? 'users needs a command: add' : `unknown users command '${verb}' (add)`);
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    if (name === undefined) throw new UsageError('users add needs the user name');
    if (!USER_NAME.test(name))
      throw new UsageError(
        `'${name}' is not a user name: letters or digits, then letters, digits, ".", "_", "@" or "-", up to 64 characters`,
      );
    const role = input.string('role');
    if (role === undefined) throw new UsageError(`users add needs --role (${ROLES.join(', ')})`);
    if (!isRole(role)) throw new UsageError(`unknown role '${role}'${suggestion(role, ROLES)}: one of ${ROLES.join(', ')}`);

    const stdin = io.stdin ?? process.stdin;
    const password = await readPassword(stdin, process.stderr);
    if (password.length < MIN_PASSWORD_LENGTH) {
      io.err(`foghorn users: the password is ${password.length === 0 ? 'empty' : 'too short'}: at least ${MIN_PASSWORD_LENGTH} characters`);
      return 1;
    }
    const hash = await hashPassword(password);
    io.err(`# paste under console: users: in foghorn.config.yaml (the runtime reads it again on change):`);
    io.out(`- { name: ${JSON.stringify(name)}, role: ${role}, password: "${hash}" }`);
    return 0;
  },
};
