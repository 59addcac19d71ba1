import type { ActionExecutor, ExecutionResult, Settlement } from '../core/act.js';
import type { ActionCommand } from '../core/action-command.js';
import { AmbiguousActionError, PermanentActionError } from '../core/errors.js';
import type { HttpSender, OutboundRequest, OutboundResponse } from '../core/http.js';
import { redactRequest } from '../core/outbound/index.js';
import type { Clock } from '../core/ports.js';
import { missingSettings, type Settings } from '../core/settings.js';
import { type EmailSender, escalationEmail, recordedEmailRequest } from './email.js';
import { type Escalation, escalationFrom } from './escalation.js';
import { freshdeskWire } from './freshdesk.js';
import { jiraWire } from './jira.js';
import { buildOpsgenieRequest, interpretOpsgenieResponse } from './opsgenie.js';
import { buildPagerDutyRequest, interpretPagerDutyResponse } from './pagerduty.js';
import type { ConversationOf, TicketStore } from './ports.js';
import {
  buildSlackChannelRequest,
  buildSlackWebhookRequest,
  interpretSlackChannelResponse,
  interpretSlackWebhookResponse,
} from './slack.js';
import { type EscalationTarget, type HelpdeskTarget, isHelpdeskTarget, targetSecretNames } from './target-config.js';
import { buildTeamsRequest, interpretTeamsResponse } from './teams.js';
import { buildTelegramEscalationRequest, interpretTelegramEscalationResponse } from './telegram.js';
import { escalateToTicket, settleTicketCommand } from './ticket-escalation.js';
import type { TicketWire } from './ticket-wire.js';
import { buildWebhookRequest, interpretWebhookResponse } from './webhook.js';
import { zendeskWire } from './zendesk.js';

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
  /** Conversations' helpdesk tickets, and the conversation a message belongs to; without them a helpdesk target fails, naming why. */
  tickets?: TicketStore;
  conversationOf?: ConversationOf;
}

interface Wire {
  build(escalation: Escalation): OutboundRequest;
  interpret(response: OutboundResponse): { externalId?: string };
}

/**
 * `escalate`: the digest goes to the named target. It is sent live when the target's secret is
 * configured, recorded in sandbox mode otherwise; a rate limit or outage is retried by the act path
 * (same command, same incident key: never a second page), a refusal fails for good and is visible.
 * A helpdesk target keeps one ticket per conversation instead (ticket-escalation.ts, docs/routing.md).
 */
export function escalateExecutor(options: EscalateExecutorOptions): ActionExecutor {
  return async (command) => {
    const { name, target } = targetOf(options, command);
    const escalation = escalationFrom(
      command,
      typeof options.foghornBaseUrl === 'function' ? options.foghornBaseUrl() : options.foghornBaseUrl,
    );
    if (target.type === 'record') return { status: 'succeeded', mode: 'sandbox' };
    if (target.type === 'email') return sendEmail(escalation, target);

    const secretNames = targetSecretNames(target);
    const redact = (request: OutboundRequest) => redactRequest(request, targetSecrets(options.settings, secretNames));
    const live = isLive(options, target);
    if (isHelpdeskTarget(target)) {
      // A person closes a ticket: the end of a spike is not the end of the customer's problem.
      if (escalation.resolve) return { status: 'succeeded', mode: live ? 'live' : 'sandbox' };
      const wire = ticketWireFor(target, options.settings);
      if (!live) {
        const recorded = redact(wire.create(escalation, command));
        await options.sandbox.send(recorded);
        return { status: 'succeeded', mode: 'sandbox', request: recorded };
      }
      return escalateToTicket(
        { ...ticketsOf(options, name), live: options.live, clock: options.clock, redact },
        { name, config: target, wire },
        escalation,
        command,
      );
    }

    const wire = wireFor(target, command);
    const request = wire.build(escalation);
    const recorded = redact(request);
    if (!live) {
      await options.sandbox.send(recorded);
      return { status: 'succeeded', mode: 'sandbox', request: recorded };
    }
    let response: OutboundResponse;
    try {
      response = await options.live.send(request);
    } catch (error) {
      if (error instanceof AmbiguousActionError) throw new AmbiguousActionError(error.message, { detail: error.detail, request: recorded });
      throw error;
    }
    const delivered = wire.interpret(response);
    return { status: 'succeeded', mode: 'live', request: recorded, ...(delivered.externalId ? { externalId: delivered.externalId } : {}) };
  };

  async function sendEmail(escalation: Escalation, target: Extract<EscalationTarget, { type: 'email' }>): Promise<ExecutionResult> {
    const message = escalationEmail(escalation, target);
    const recorded = recordedEmailRequest(message);
    if (options.forceSandbox || !options.email) return { status: 'succeeded', mode: 'sandbox', request: recorded };
    const sent = await options.email.send(message);
    return { status: 'succeeded', mode: 'live', request: recorded, ...(sent.messageId ? { externalId: sent.messageId } : {}) };
  }

  function wireFor(target: Exclude<EscalationTarget, HelpdeskTarget | { type: 'email' | 'record' }>, command: ActionCommand): Wire {
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
      case 'teams':
        return { build: (e) => buildTeamsRequest(e, target, settings), interpret: (r) => interpretTeamsResponse(r, now()) };
      case 'webhook':
        return {
          build: (e) => buildWebhookRequest(e, target, settings, command, options.conversationOf?.(command.event)),
          interpret: (r) => interpretWebhookResponse(r, now()),
        };
    }
  }
}

/**
 * An `escalate` command whose call may have reached its target (docs/delivery.md): a helpdesk looks for the ticket
 * the command opened (ticket-escalation.ts); Teams, which keeps no deduplication key, is held for a person; the
 * others are sent again with the same key (PagerDuty's dedup_key, Opsgenie's alias, the webhook's Idempotency-Key)
 * as before. In sandbox mode nothing left the machine.
 */
export function settleEscalation(options: EscalateExecutorOptions): (command: ActionCommand) => Promise<Settlement> {
  return async (command) => {
    let resolved: ReturnType<typeof targetOf>;
    try {
      resolved = targetOf(options, command);
    } catch {
      return { settled: 'retry', note: 'it cannot be sent at all' };
    }
    const { name, target } = resolved;
    if (target.type === 'record' || target.type === 'email' || !isLive(options, target)) {
      return { settled: 'retry', note: 'nothing was sent to a helpdesk or chat' };
    }
    if (target.type === 'teams') return { settled: 'unknown', note: 'a Teams webhook keeps no deduplication key, so it is not sent again' };
    if (!isHelpdeskTarget(target)) return { settled: 'retry', note: `the ${target.type} call is sent again with the same key` };
    const secretNames = targetSecretNames(target);
    const redact = (request: OutboundRequest) => redactRequest(request, targetSecrets(options.settings, secretNames));
    return settleTicketCommand(
      { ...ticketsOf(options, name), live: options.live, clock: options.clock, redact },
      { name, config: target, wire: ticketWireFor(target, options.settings) },
      command,
    );
  };
}

function targetOf(options: EscalateExecutorOptions, command: ActionCommand): { name: string; target: EscalationTarget } {
  const name = command.params.target;
  if (typeof name !== 'string' || name === '')
    throw new PermanentActionError(`escalate needs params.target (a target name), got ${JSON.stringify(name)}`);
  const target = options.targets().get(name);
  if (!target) {
    throw new PermanentActionError(
      `escalation target '${name}' is not configured (known: ${[...options.targets().keys()].join(', ') || 'none'})`,
    );
  }
  return { name, target };
}

function isLive(options: EscalateExecutorOptions, target: EscalationTarget): boolean {
  return !options.forceSandbox && missingSettings(options.settings, targetSecretNames(target)).length === 0;
}

function ticketsOf(options: EscalateExecutorOptions, name: string): { tickets: TicketStore; conversationOf: ConversationOf } {
  if (!options.tickets || !options.conversationOf)
    throw new PermanentActionError(`escalation target '${name}' opens tickets, but this runtime has no ticket store`);
  return { tickets: options.tickets, conversationOf: options.conversationOf };
}

function ticketWireFor(target: HelpdeskTarget, settings: Settings): TicketWire {
  switch (target.type) {
    case 'zendesk':
      return zendeskWire(target, settings);
    case 'freshdesk':
      return freshdeskWire(target, settings);
    case 'jira':
      return jiraWire(target, settings);
  }
}

/** A target's secrets, whatever their names look like (a webhook URL is a secret too). */
function targetSecrets(settings: Settings, names: readonly string[]): string[] {
  return names.map((name) => settings.get(name)).filter((value): value is string => typeof value === 'string' && value.length >= 4);
}
