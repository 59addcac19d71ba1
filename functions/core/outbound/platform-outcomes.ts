import type { Settlement } from '../act.js';
import type { ActionCommand } from '../action-command.js';
import { PermanentActionError } from '../errors.js';
import { type PlatformExecutorOptions, preparePlatformCall } from '../executors/platform.js';
import { type OutboundPolicies, onAmbiguousFor } from './outbound-policy.js';

/** The action types that go through a platform's connector; the others (tag, hold, crisis, escalate) run again as before. */
const PLATFORM_ACTIONS = new Set(['reply', 'post']);

export interface PlatformOutcomeOptions extends PlatformExecutorOptions {
  /** The team config's `outbound:` choices, read per call (the config may be reloaded). */
  policies(): OutboundPolicies;
}

/**
 * Settles a reply or post whose call may have reached the platform (docs/delivery.md): in sandbox mode nothing
 * left, so it runs again; otherwise the platform's choice (`outbound.<platform>.onAmbiguous`, or its default)
 * says retry with the same deduplication key, ask the read API, or hold it as `unknown` for a person.
 */
export function settlePlatformOutcome(options: PlatformOutcomeOptions): (command: ActionCommand) => Promise<Settlement> {
  return async (command) => {
    if (!PLATFORM_ACTIONS.has(command.type)) return { settled: 'retry', note: `the ${command.type} action is run again` };
    let prepared: Awaited<ReturnType<typeof preparePlatformCall>>;
    try {
      prepared = await preparePlatformCall(options, command);
    } catch (error) {
      // A command that can never be sent (no connector, no such action) is safe to run: it fails for good.
      if (error instanceof PermanentActionError) return { settled: 'retry', note: 'it cannot be sent at all' };
      throw error;
    }
    const { connector, live, context, request } = prepared;
    const platform = connector.platform;
    if (!live) return { settled: 'retry', note: 'sandbox mode: nothing left the machine' };
    const policy = onAmbiguousFor(options.policies(), connector);
    const dedup = connector.deduplication;
    if (policy === 'retry') {
      if (dedup && (dedup.covers?.(request) ?? true)) {
        return { settled: 'retry', note: `retried with the same ${dedup.key}: ${platform} drops a repeat` };
      }
      return { settled: 'unknown', note: `this ${platform} request carries no deduplication key, so it is not retried` };
    }
    if (policy === 'reconcile' && connector.reconcile) {
      const found = await connector.reconcile(command, { ...context, send: (call) => options.live.send(call) }).catch((error: unknown) => {
        throw new Error(`${platform}'s read API could not be asked: ${error instanceof Error ? error.message : String(error)}`);
      });
      if (found.found) {
        return { settled: 'found', ...(found.externalId ? { externalId: found.externalId } : {}), note: `${platform} has it` };
      }
      return { settled: 'retry', note: `${platform}'s read API has no message for this command, so it is sent` };
    }
    return {
      settled: 'unknown',
      note: policy === 'hold' ? `${platform} is set to hold such actions for a person` : `${platform} cannot be asked whether it arrived`,
    };
  };
}
