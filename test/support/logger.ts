import type { RuntimeLogger } from '../../functions/entries/local/runtime.js';

/** A runtime logger for tests: info and warn are dropped, each error is kept in `errors` as its message and detail. */
export function errorCollectingLogger(errors: string[]): RuntimeLogger {
  return {
    info() {},
    warn() {},
    error: (message, detail) => {
      errors.push(`${message} ${JSON.stringify(detail)}`);
    },
  };
}
