import { FoghornError } from '../core/errors.js';

/** The `people:` or `teams:` section is wrong: the message lists each problem with its file, line and field. */
export class AssignmentConfigError extends FoghornError {
  constructor(message: string, problems: unknown) {
    super(message, { status: 400, detail: { problems } });
  }
}

/** A reassignment whose input is wrong (no such person or team, both or neither given): the message names the field. */
export class AssignmentInputError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 400, detail: detail ?? null });
  }
}
