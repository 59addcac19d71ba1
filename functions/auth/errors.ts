import { FoghornError } from '../core/errors.js';

/** A `console:` section of foghorn.config.yaml that cannot be used; the message names the file, line and field. */
export class ConsoleConfigError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 400, detail });
  }
}

/** A stored password hash that is not `scrypt$<params>$<salt>$<hash>` with parameters Foghorn accepts. */
export class PasswordHashError extends FoghornError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
}

/** Too many sign-ins are being checked at once: try again in a moment. */
export class SignInBusyError extends FoghornError {
  constructor() {
    super('too many sign-ins at once: try again in a moment', { status: 429 });
  }
}
