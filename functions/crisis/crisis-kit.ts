import type { ActionExecutor } from '../core/act.js';
import type { ActionCommand } from '../core/action-command.js';
import type { CanonicalEvent } from '../core/event.js';
import type { HttpSender } from '../core/http.js';
import type { Clock, EventStore } from '../core/ports.js';
import type { RuleSet } from '../core/rule-set.js';
import type { Settings } from '../core/settings.js';
import type { EmailSender } from '../escalation/email.js';
import { escalateExecutor, settleEscalation } from '../escalation/escalate-executor.js';
import type { TicketStore } from '../escalation/ports.js';
import { type EscalationTarget, parseTargets } from '../escalation/target-config.js';
import { type ApprovalDependencies, approve, reject } from './approvals.js';
import { auditedExecutor } from './audit.js';
import { type CrisisConfig, parseCrisisSection } from './config.js';
import { ticketConversation } from './conversation.js';
import { withCrisis } from './crisis-rule-set.js';
import { type CrisisChange, switchCrisisMode } from './crisis-switch.js';
import { crisisExecutor, ruleHoldExecutor } from './executors.js';
import { GUARDED_ACTION_TYPES } from './guarded-action-types.js';
import { guardedExecutor } from './guarded-executor.js';
import { outgoingGuard } from './outgoing-guard.js';
import type { Approval, ApprovalStatus, ApprovalStore, AuditLog, CounterStore, CrisisStore, EpisodeStore, TimerStore } from './ports.js';
import type { CrisisRuleOptions } from './rule-options.js';
import { type CrisisSweepReport, runCrisisSweep } from './sweep.js';

export interface CrisisStores {
  counters: CounterStore;
  episodes: EpisodeStore;
  crisis: CrisisStore;
  timers: TimerStore;
  approvals: ApprovalStore;
  audit: AuditLog;
  /** Conversations' helpdesk tickets (helpdesk escalation targets need it). */
  tickets?: TicketStore;
}

export interface CrisisKitOptions {
  stores: CrisisStores;
  /** The team config (`targets:` and `crisis:` sections); called again after a reload. */
  config: () => { targets: Readonly<Record<string, unknown>>; crisis?: unknown };
  settings: Settings;
  clock: Clock;
  forceSandbox: boolean;
  live: HttpSender;
  sandbox: HttpSender;
  email?: EmailSender;
  /** Where humans reach Foghorn's API (links in escalation digests); known only once the server listens. */
  foghornBaseUrl: () => string;
  /** Puts commands on the actions queue. */
  dispatch(commands: readonly ActionCommand[]): Promise<void>;
  /** Stores and publishes an event Foghorn made (a breach), idempotent on its id. */
  emit(event: CanonicalEvent): Promise<void>;
  /** Where the sweep reads a large message whole for its breach event (its timer keeps an excerpt). */
  events?: Pick<EventStore, 'get'>;
}

/**
 * Crisis mode, SLA timers, spikes, approvals, escalations and audit, assembled once over their stores
 * for a runtime (the local one, or a Lambda): the pieces each pipeline stage plugs in.
 */
export class CrisisKit {
  private parsedFrom: unknown;
  private parsed: { targets: Map<string, EscalationTarget>; crisis: CrisisConfig; guard: ReturnType<typeof outgoingGuard> } | undefined;

  constructor(private readonly options: CrisisKitOptions) {}

  /** Parses (and caches) the config sections; a malformed target or crisis section throws naming it. */
  teamConfig() {
    const config = this.options.config();
    if (!this.parsed || this.parsedFrom !== config) {
      const crisis = parseCrisisSection(config.crisis);
      this.parsed = { targets: parseTargets(config.targets), crisis, guard: outgoingGuard(crisis) };
      this.parsedFrom = config;
    }
    return this.parsed;
  }

  ruleSet(base: RuleSet, ruleOptions: () => ReadonlyMap<string, CrisisRuleOptions>): RuleSet {
    return withCrisis(base, ruleOptions, this.options.stores);
  }

  /**
   * The act stage's executors: replies and posts through the outgoing guard and crisis mode, `hold`
   * into the approval queue, `crisis` and `escalate` added, and every one of them audited.
   */
  executors(base: Readonly<Record<string, ActionExecutor>>): Record<string, ActionExecutor> {
    const { stores, clock } = this.options;
    const expireAfterMs = () => this.teamConfig().crisis.approvalExpiryMs;
    const guarded =
      (inner: ActionExecutor): ActionExecutor =>
      async (command) =>
        guardedExecutor({
          inner,
          guard: this.teamConfig().guard,
          crisis: stores.crisis,
          approvals: stores.approvals,
          audit: stores.audit,
          timers: stores.timers,
          expireAfterMs: expireAfterMs(),
          clock,
        })(command);
    const all: Record<string, ActionExecutor> = { ...base };
    for (const type of GUARDED_ACTION_TYPES) if (base[type]) all[type] = guarded(base[type]);
    all.hold = async (command) =>
      ruleHoldExecutor({ approvals: stores.approvals, audit: stores.audit, expireAfterMs: expireAfterMs(), clock })(command);
    all.crisis = crisisExecutor({ crisis: stores.crisis, audit: stores.audit, clock });
    all.escalate = escalateExecutor(this.escalationOptions());
    return Object.fromEntries(Object.entries(all).map(([type, executor]) => [type, auditedExecutor(executor, stores.audit, clock)]));
  }

  /** An escalation whose outcome is unknown: looked up, sent again with its key, or held (escalate-executor.ts). */
  settleEscalation(command: ActionCommand) {
    return settleEscalation(this.escalationOptions())(command);
  }

  /** The helpdesk tickets of the conversation an event belongs to (what `/api/events/{id}` shows). */
  async ticketsOf(event: CanonicalEvent) {
    return this.options.stores.tickets ? this.options.stores.tickets.forConversation(ticketConversation(event)) : [];
  }

  private escalationOptions() {
    return {
      targets: () => this.teamConfig().targets,
      settings: this.options.settings,
      live: this.options.live,
      sandbox: this.options.sandbox,
      ...(this.options.email ? { email: this.options.email } : {}),
      ...(this.options.stores.tickets ? { tickets: this.options.stores.tickets } : {}),
      // Also without tickets: a webhook call names its conversation.
      conversationOf: ticketConversation,
      forceSandbox: this.options.forceSandbox,
      clock: this.options.clock,
      foghornBaseUrl: this.options.foghornBaseUrl,
    };
  }

  /** `timeLeftMs`: how long this run may still start work (the Lambda's remaining time less a margin); unlimited without. */
  sweep(timeLeftMs?: () => number): Promise<CrisisSweepReport> {
    const { stores } = this.options;
    return runCrisisSweep(
      {
        timers: stores.timers,
        episodes: stores.episodes,
        approvals: stores.approvals,
        audit: stores.audit,
        emit: this.options.emit,
        dispatch: this.options.dispatch,
        ...(timeLeftMs ? { timeLeftMs } : {}),
        ...(this.options.events ? { events: this.options.events } : {}),
      },
      this.options.clock.now(),
    );
  }

  crisisState() {
    return this.options.stores.crisis.get();
  }

  switchCrisis(change: CrisisChange) {
    return switchCrisisMode(this.options.stores.crisis, this.options.stores.audit, change, this.options.clock.now());
  }

  listApprovals(status: ApprovalStatus | undefined, limit: number): Promise<Approval[]> {
    return this.options.stores.approvals.list(status, limit);
  }

  /** `text`: the held reply's or post's text as a person edited it. */
  approve(id: string, who: string, note: string | undefined, text?: string): Promise<Approval> {
    return approve(this.approvalDeps(), id, who, note, this.options.clock.now(), text);
  }

  reject(id: string, who: string, reason: string | undefined): Promise<Approval> {
    return reject(this.approvalDeps(), id, who, reason, this.options.clock.now());
  }

  audit(limit: number) {
    return this.options.stores.audit.list(limit);
  }

  private approvalDeps(): ApprovalDependencies {
    return {
      approvals: this.options.stores.approvals,
      audit: this.options.stores.audit,
      expireAfterMs: this.teamConfig().crisis.approvalExpiryMs,
      dispatch: (command) => this.options.dispatch([command]),
    };
  }
}
