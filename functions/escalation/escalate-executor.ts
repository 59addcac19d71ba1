import type { ActionExecutor, ExecutionResult } from '../core/act.js';
import type { ActionCommand } from '../core/action-command.js';
import { PermanentActionError } from '../core/errors.js';
import type { HttpSender, OutboundRequest, OutboundResponse } from '../core/http.js';
import { redactRequest } from '../core/outbound/index.js';
import type { Clock } from '../core/ports.js';
import { missingSettings, type Settings } from '../core/settings.js';
import { type EmailSender, escalationEmail, recordedEmailRequest } from './email.js';
import { type Escalation, escalationFrom } from './escalation.js';
import { buildOpsgenieRequest, interpretOpsgenieResponse } from './opsgenie.js';
import { buildPagerDutyRequest, interpretPagerDutyResponse } from './pagerduty.js';
import {
  buildSlackChannelRequest,
  buildSlackWebhookRequest,
  interpretSlackChannelResponse,
  interpretSlackWebhookResponse,
} from './slack.js';
import { type EscalationTarget, targetSecretNames } from './target-config.js';
import { buildTelegramEscalationRequest, interpretTelegramEscalationResponse } from './telegram.js';

export interface EscalateExecutorOptions {
  /** The configured targets by name (re-read when the config reloads). */
  targets: () => ReadonlyMap<string, EscalationTarget>;
  settings: Settings;
  live: HttpSender;
  sandbox: HttpSender;
  /** SES on AWS; absent locally, where email is recorded in sandbox mode. */
  email?: EmailSender;
  /** Record everything instead of sending, whatever is configured. */
  forceSandbox: boolean;
  clock: Clock;
  /** Where humans reach Foghorn's API (links in the digest). */
  foghornBaseUrl: string | (() => string);
}

interface Wire {
  build(escalation: Escalation): OutboundRequest;
  interpret(response: OutboundResponse): { externalId?: string };
}

/**
 * `escalate`: the digest goes to the named target. It is sent live when the target's secret is
 * configured, recorded in sandbox mode otherwise; a rate limit or outage is retried by the act path
 * (same command, same incident key: never a second page), a refusal fails for good and is visible.
 */
export function escalateExecutor(options: EscalateExecutorOptions): ActionExecutor {
  return async (command) => {
    const name = command.params.target;
    if (typeof name !== 'string' || name === '')
      throw new PermanentActionError(`escalate needs params.target (a target name), got ${JSON.stringify(name)}`);
    const target = options.targets().get(name);
    if (!target) {
      throw new PermanentActionError(
        `escalation target '${name}' is not configured (known: ${[...options.targets().keys()].join(', ') || 'none'})`,
      );
    }
    const escalation = escalationFrom(
      command,
      typeof options.foghornBaseUrl === 'function' ? options.foghornBaseUrl() : options.foghornBaseUrl,
    );
    if (target.type === 'record') return { status: 'succeeded', mode: 'sandbox' };
    if (target.type === 'email') return sendEmail(escalation, target);

    const wire = wireFor(target, command);
    const request = wire.build(escalation);
    const secretNames = targetSecretNames(target);
    const recorded = redactRequest(request, targetSecrets(options.settings, secretNames));
    const live = !options.forceSandbox && missingSettings(options.settings, secretNames).length === 0;
    if (!live) {
      await options.sandbox.send(recorded);
      return { status: 'succeeded', mode: 'sandbox', request: recorded };
    }
    const delivered = wire.interpret(await options.live.send(request));
    return { status: 'succeeded', mode: 'live', request: recorded, ...(delivered.externalId ? { externalId: delivered.externalId } : {}) };
  };

  async function sendEmail(escalation: Escalation, target: Extract<EscalationTarget, { type: 'email' }>): Promise<ExecutionResult> {
    const message = escalationEmail(escalation, target);
    const recorded = recordedEmailRequest(message);
    if (options.forceSandbox || !options.email) return { status: 'succeeded', mode: 'sandbox', request: recorded };
    const sent = await options.email.send(message);
    return { status: 'succeeded', mode: 'live', request: recorded, ...(sent.messageId ? { externalId: sent.messageId } : {}) };
  }

  function wireFor(target: Exclude<EscalationTarget, { type: 'email' | 'record' }>, command: ActionCommand): Wire {
    const { settings } = options;
    const now = () => options.clock.now();
    switch (target.type) {
      case 'pagerduty':
        return { build: (e) => buildPagerDutyRequest(e, target, settings), interpret: (r) => interpretPagerDutyResponse(r, now()) };
      case 'opsgenie':
        return { build: (e) => buildOpsgenieRequest(e, target, settings), interpret: (r) => interpretOpsgenieResponse(r, now()) };
      case 'slack-webhook':
        return { build: (e) => buildSlackWebhookRequest(e, target, settings), interpret: (r) => interpretSlackWebhookResponse(r, now()) };
      case 'slack-channel':
        return { build: (e) => buildSlackChannelRequest(e, target, settings), interpret: (r) => interpretSlackChannelResponse(r) };
      case 'telegram':
        return {
          build: (e) => buildTelegramEscalationRequest(e, target, settings),
          interpret: (r) => interpretTelegramEscalationResponse(r, command, settings, now()),
        };
    }
  }
}

/** A target's secrets, whatever their names look like (a webhook URL is a secret too). */
function targetSecrets(settings: Settings, names: readonly string[]): string[] {
  return names.map((name) => settings.get(name)).filter((value): value is string => typeof value === 'string' && value.length >= 4);
}
