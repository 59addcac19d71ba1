import type { ActionCommand } from '../../core/action-command.js';

/** Claims remembered until their guard asks; the oldest go beyond this (a claim whose command never reached its guard). */
const MAX_NOTED = 4_096;
/** How long a switch read as on keeps claims from checking it: their check would only be refused. */
const SEEN_ON_MS = 5_000;

/**
 * Which claims carry a check of the crisis switch (a ConditionCheck on `CRISIS` / `STATE` in the claim's
 * transaction), and which of them passed: the action store notes a claim made while crisis mode was off,
 * and the crisis store answers the guard's question for that command from the note instead of reading the
 * switch again. A note is taken once.
 *
 * While the crisis store has lately read the switch as on (SEEN_ON_MS), claims go without the check: it would be
 * refused (a wasted transaction: two writes and a read of `CRISIS` for each reply) and the guard reads the switch
 * anyway. Safe either way: a claim without a check is answered by the guard's own read.
 */
export class ClaimCrisisChecks {
  private readonly passed = new Set<string>();
  private seenOnAt: number | undefined;

  constructor(
    private readonly checked: (command: ActionCommand) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `command`'s claim should check the switch (outgoing replies and posts, which the guard holds in crisis). */
  wanted(command: ActionCommand): boolean {
    if (this.seenOnAt !== undefined && this.now() - this.seenOnAt < SEEN_ON_MS) return false;
    return this.checked(command);
  }

  /** The crisis store read or set the switch: `on` as of now. */
  saw(on: boolean): void {
    this.seenOnAt = on ? this.now() : undefined;
  }

  /** The claim of `commandId` landed with crisis mode off. */
  note(commandId: string): void {
    this.passed.add(commandId);
    if (this.passed.size > MAX_NOTED) this.passed.delete(this.passed.values().next().value as string);
  }

  /** True once, when the claim of `commandId` landed with crisis mode off. */
  take(commandId: string): boolean {
    return this.passed.delete(commandId);
  }
}
