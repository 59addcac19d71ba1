import type { ActionExecutor, ExecutionResult } from '../core/act.js';
import { type ActionCommand, commandPlatform } from '../core/action-command.js';
import { APPROVAL_PARAM, holdForApproval } from '../crisis/approvals.js';
import type { CrisisKit } from '../crisis/crisis-kit.js';
import type { Approval } from '../crisis/ports.js';
import { platformTextLimit } from '../platforms/limits.js';
import { threadPartCommand } from '../platforms/thread-part.js';
import { describeOverflow } from '../rules/overflow.js';
import { textLength, truncateText } from '../text/index.js';
import type { Adapters } from './adapters.js';

export interface LengthGuardOptions {
  /** The platform executor that sends one text. */
  inner: ActionExecutor;
  /** Files a command for a person, with the reason and, for a text too long, `tooLong` (the crisis approval queue). */
  hold(command: ActionCommand, reason: string, guard?: Approval['guard']): Promise<void>;
  limits?: typeof platformTextLimit;
}

/**
 * The last check before a reply or post leaves: measured for the platform it goes to, the way that
 * platform counts. A text over the limit is never sent to be refused and dead-lettered: it is held for
 * approval with the reason ("5,000 characters; telegram allows 4,096"), whatever the rule's overflow
 * said, since the render may have measured for another platform. An approved one is sent cut to the
 * limit, the only form the platform accepts. A split text (`params.parts`, from `overflow: split`)
 * goes out part by part as a thread; when a part after the first fails, the parts not yet sent are
 * held (sending the whole thread again would repeat what already went out).
 */
export function lengthGuardedExecutor(options: LengthGuardOptions): ActionExecutor {
  const limits = options.limits ?? platformTextLimit;
  return async (command) => {
    const platform = commandPlatform(command);
    const limit = limits({ platform, action: command.type, kind: command.event.kind });
    const { text, parts: rawParts, ...rest } = command.params;
    const parts = Array.isArray(rawParts) && rawParts.every((part) => typeof part === 'string') ? (rawParts as string[]) : undefined;
    if (limit === undefined || typeof text !== 'string') {
      return options.inner(parts ? { ...command, params: { ...rest, text } } : command);
    }
    const fits = (candidate: string) => textLength(candidate, limit.counts) <= limit.max;
    if (parts && parts.length > 0 && limit.threads && parts.every(fits)) return sendThread(command, parts);
    const whole = { ...command, params: { ...rest, text } };
    if (fits(text)) return options.inner(whole);
    if (command.params[APPROVAL_PARAM] !== undefined) {
      return options.inner({ ...whole, params: { ...whole.params, text: truncateText(text, limit) } });
    }
    const overflow = describeOverflow(textLength(text, limit.counts), limit);
    await options.hold(whole, `${overflow}: approve to send it cut to the limit, or reject and answer by hand`, {
      code: 'tooLong',
      detail: overflow,
    });
    return { status: 'held' };
  };

  async function sendThread(command: ActionCommand, parts: readonly string[]): Promise<ExecutionResult> {
    let first: ExecutionResult | undefined;
    let previous: string | undefined;
    for (const [index, part] of parts.entries()) {
      const partCommand = threadPartCommand(command, index, part, previous);
      let result: ExecutionResult | undefined;
      let failure: string | undefined;
      try {
        result = await options.inner(partCommand);
        if (result.status !== 'succeeded') failure = `it ended ${result.status}`;
      } catch (error) {
        if (index === 0) throw error;
        failure = error instanceof Error ? error.message : String(error);
      }
      if (index === 0 && result && result.status !== 'succeeded') return result;
      if (failure !== undefined) {
        const remaining = parts.slice(index);
        const rest = {
          ...partCommand,
          id: `${command.id}~part${index + 1}`,
          params: { ...partCommand.params, text: remaining.join('\n\n'), parts: remaining },
        };
        await options.hold(
          rest,
          `parts 1–${index} of ${parts.length} were sent; part ${index + 1} may not have been (${failure}): the parts from ${index + 1} on wait here`,
        );
        return { ...first!, status: 'held' };
      }
      first ??= result;
      previous = result?.externalId;
    }
    return first!;
  }
}

/** The length guard around the platform executor, holding through the crisis approval queue. */
export function withLengthGuard(inner: ActionExecutor, adapters: Pick<Adapters, 'crisisStores' | 'clock'>, kit: CrisisKit): ActionExecutor {
  const { approvals, audit } = adapters.crisisStores;
  return lengthGuardedExecutor({
    inner,
    hold: async (command, reason, guard) => {
      await holdForApproval(
        { approvals, audit, expireAfterMs: kit.teamConfig().crisis.approvalExpiryMs },
        { id: command.id, reason, heldBy: 'guard', ...(guard ? { guard } : {}), command, eventId: command.eventId, ruleId: command.ruleId },
        adapters.clock.now(),
      );
    },
  });
}
