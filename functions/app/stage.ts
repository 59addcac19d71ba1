import { type Provided, resolveProvided } from '../core/provided.js';
import type { Adapters } from './adapters.js';
import { recordingAnalytics } from './analytics-recording.js';
import { withDebugLogging } from './debug-logging.js';

/**
 * A pipeline stage as a handler: wired from the adapters on the first call (on AWS the adapters are
 * resolved per invocation, so rotated secrets are seen, but the wiring is done once per container).
 * Every stage records response-time analytics around its ports (analytics-recording.ts) and, at debug level, logs
 * each event and action (debug-logging.ts).
 */
export function stage<E extends unknown[], R>(
  adapters: Provided<Adapters>,
  wire: (adapters: Adapters) => ((...event: E) => Promise<R>) | Promise<(...event: E) => Promise<R>>,
): (...event: E) => Promise<R> {
  const wireRecorded = recordingAnalytics((recorded: Adapters) => wire(withDebugLogging(recorded)));
  const wired = new WeakMap<Adapters, Promise<(...event: E) => Promise<R>>>();
  return async (...event) => {
    const resolved = await resolveProvided(adapters);
    let handler = wired.get(resolved);
    if (!handler) {
      handler = wireRecorded(resolved);
      // A wiring that failed (a malformed team config, say) is tried again on the next call.
      handler.catch(() => {
        if (wired.get(resolved) === handler) wired.delete(resolved);
      });
      wired.set(resolved, handler);
    }
    return (await handler)(...event);
  };
}
