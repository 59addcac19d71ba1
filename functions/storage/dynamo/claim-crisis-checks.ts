import type { ActionCommand } from '../../core/action-command.js';

/** Claims remembered until their guard asks; the oldest go beyond this (a claim whose command never reached its guard). */
const MAX_NOTED = 4_096;

/**
 * Which claims carry a check of the crisis switch (a ConditionCheck on `CRISIS` / `STATE` in the claim's
 * transaction), and which of them passed: the action store notes a claim made while crisis mode was off,
 * and the crisis store answers the guard's question for that command from the note instead of reading the
 * switch again. A note is taken once.
 */
export class ClaimCrisisChecks {
  private readonly passed = new Set<string>();

  constructor(private readonly checked: (command: ActionCommand) => boolean) {}

  /** True when `command`'s claim should check the switch (outgoing replies and posts, which the guard holds in crisis). */
  wanted(command: ActionCommand): boolean {
    return this.checked(command);
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
