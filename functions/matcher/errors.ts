import { FoghornError } from '../core/errors.js';

/** A rule set the matcher cannot accept at all (json-rules-engine would refuse it too). */
export class MatcherCompileError extends FoghornError {
  constructor(message: string, options: { detail?: unknown; cause?: unknown } = {}) {
    super(message, { status: 500, ...options });
  }
}

/** An event's facts cannot be read the way json-rules-engine would read them. */
export class MatcherFactError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 500, detail });
  }
}
