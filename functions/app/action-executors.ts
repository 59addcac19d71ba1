import { assignExecutor } from '../assignment/assign-executor.js';
import type { ActionExecutor } from '../core/act.js';
import { type ActionCommand, commandPlatform } from '../core/action-command.js';
import { type PlatformExecutorOptions, platformExecutor, sendsLive } from '../core/executors/platform.js';
import { tagExecutor } from '../core/executors/tag.js';
import { redactRequest } from '../core/outbound/index.js';
import { secretValues } from '../core/settings.js';
import { ticketConversation } from '../crisis/conversation.js';
import type { CrisisKit } from '../crisis/crisis-kit.js';
import { connectorFor, connectorSettingNames } from '../platforms/index.js';
import type { Adapters } from './adapters.js';
import { assignmentsOf } from './assignments-of.js';
import { withLengthGuard } from './length-guard.js';
import { sendRateGuardedExecutor } from './send-rate-guard.js';

/**
 * What each action type does, for both runtimes; a new action type is registered here and nowhere else.
 * `reply` and `post` go through the platform's connector (recorded with secrets redacted in sandbox
 * mode), `tag` onto the stored event (with the action's completion); the crisis kit then puts replies and posts behind crisis mode and
 * the outgoing guard, adds `hold`, `crisis` and `escalate`, and audits every one. `assign` gives the conversation an
 * owner (functions/assignment/assign-executor.ts).
 */
export function actionExecutors(
  adapters: Pick<Adapters, 'settings' | 'clock' | 'forceSandbox' | 'live' | 'sandbox' | 'crisisStores'> &
    Partial<Pick<Adapters, 'assignments' | 'teamConfig' | 'sendRates' | 'logger'>>,
  kit: CrisisKit,
): Record<string, ActionExecutor> {
  const platform = platformExecutor(platformSending(adapters));
  // A text over its platform's limit is held (or sent as a thread), never sent to be refused.
  const lengthGuarded = withLengthGuard(platform, adapters, kit);
  // Each send (a thread: each part) is taken from its platform's bucket first; past the held and guarded ones only.
  const sendRates = adapters.sendRates;
  const rated = sendRates
    ? sendRateGuardedExecutor({
        inner: lengthGuarded,
        limiter: sendRates.limiter,
        rates: sendRates.rates,
        clock: adapters.clock,
        onLimiterError: (error, platform) => adapters.logger?.warn('send rate unavailable: sending without it', { platform, error }),
        ...(sendRates.liveOnly ? { applies: (command: ActionCommand) => sendsLiveFor(adapters, command) } : {}),
      })
    : lengthGuarded;
  const assign = assignExecutor({
    // Named one by one: the AWS adapters' members are getters, which a spread would drop.
    assignments: adapters.teamConfig
      ? assignmentsOf({
          assignments: adapters.assignments,
          crisisStores: adapters.crisisStores,
          clock: adapters.clock,
          teamConfig: adapters.teamConfig,
        })
      : undefined,
    timers: adapters.crisisStores.timers,
    conversationOf: ticketConversation,
    clock: adapters.clock,
  });
  return kit.executors({ reply: rated, post: rated, tag: tagExecutor(), assign });
}

/** Whether `command` would be sent for real (its connector's credentials set, no sandbox mode). */
function sendsLiveFor(adapters: Pick<Adapters, 'settings' | 'forceSandbox'>, command: ActionCommand): boolean {
  const platform = commandPlatform(command);
  const connector = connectorFor(platform);
  return connector !== undefined && sendsLive(adapters, connector);
}

/** How replies and posts reach a platform: its connector, live or sandboxed, recorded with secrets redacted. */
export function platformSending(
  adapters: Pick<Adapters, 'settings' | 'clock' | 'forceSandbox' | 'live' | 'sandbox'>,
): PlatformExecutorOptions {
  const settingNames = connectorSettingNames();
  return {
    connectorFor,
    settings: adapters.settings,
    clock: adapters.clock,
    forceSandbox: adapters.forceSandbox,
    live: adapters.live,
    sandbox: adapters.sandbox,
    // Read per request: a rotated secret is redacted too.
    redact: (request) => redactRequest(request, secretValues(adapters.settings, settingNames)),
  };
}
