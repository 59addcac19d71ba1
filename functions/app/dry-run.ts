import type { ActionExecutor } from '../core/act.js';
import { type ActionCommand, commandFor } from '../core/action-command.js';
import type { CanonicalEvent } from '../core/event.js';
import type { HttpSender } from '../core/http.js';
import type { Decision, HoldCode, RuleExplanation } from '../core/rule-set.js';
import type { Settings } from '../core/settings.js';
import { CrisisKit } from '../crisis/crisis-kit.js';
import { memoryCrisisStores } from '../crisis/offline.js';
import type { Approval } from '../crisis/ports.js';
import { crisisRuleLanguage } from '../crisis/rule-language.js';
import { crisisRuleOptions } from '../crisis/rule-options.js';
import { type CompiledRules, createRuleSet, flattenAction, memoryRuleState, offlineRuleSet } from '../rules/index.js';
import { actionExecutors } from './action-executors.js';
import { ruleLanguage } from './rule-language.js';

/** One line of `foghorn evaluate`: the decision about an event, each action with its fate. */
export interface DryRunLine {
  event: string;
  rules: string[];
  /** The actions decided, each flat (`flattenAction`) with its `fate` and, when held or failed, the `reason`. */
  actions: Array<Record<string, unknown>>;
  /** Actions of rules whose conditions held but which a limit, a volume rule or a response timer kept back. */
  suppressed?: Array<Record<string, unknown>>;
  /** Set on the lines the sweep produced: `sla breach` or `resolve` (a quiet spike's resolves and onQuiet). */
  sweep?: 'sla breach' | 'resolve';
  /** When the sweep would have produced the line (the timer's due time, the end of the quiet period). */
  dueAt?: string;
  /** With --explain: the post's language and what decided it, `fa (from: text | platform | author | channel)`. */
  lang?: string;
  explain?: RuleExplanation[];
}

/**
 * `foghorn evaluate` as the runtime would play it: the decision goes through the crisis kit of the
 * runtime (crisis mode, spikes, SLA timers, the outgoing guard, approvals) and the act stage's
 * executor chain (the length guard, the platform's connector), over memory stores, with every
 * outbound call recorded (sandbox) and never sent. The clock is the event's time; before each event
 * the sweep runs, as the one-minute schedule would have by then.
 */
export function dryRun(compiled: CompiledRules) {
  const stores = memoryCrisisStores();
  // No credentials: every outbound call is recorded, as in sandbox mode.
  const none: Settings = { get: () => undefined };
  let now = new Date(0);
  const clock = { now: () => now };
  const refused: HttpSender = {
    mode: 'live',
    send: async () => {
      throw new Error('a dry run sends nothing');
    },
  };
  const recorded: HttpSender = { mode: 'sandbox', send: async () => ({ status: 200, headers: {}, body: '{}' }) };
  const emitted: CanonicalEvent[] = [];
  const dispatched: ActionCommand[][] = [];
  const kit = new CrisisKit({
    stores,
    config: () => compiled.config,
    settings: none,
    clock,
    forceSandbox: true,
    live: refused,
    sandbox: recorded,
    foghornBaseUrl: () => 'http://localhost:8787',
    dispatch: async (commands) => {
      dispatched.push([...commands]);
    },
    emit: async (event) => {
      emitted.push(event);
    },
  });
  kit.teamConfig();
  const executors = actionExecutors(
    {
      settings: none,
      clock,
      forceSandbox: true,
      live: refused,
      sandbox: recorded,
      crisisStores: stores,
    },
    kit,
  );
  // The crisis extension plays out through the kit, as in the runtime; any other extension offline.
  const others = offlineRuleSet(
    createRuleSet(compiled.rules, compiled.config, compiled.text),
    compiled.rules,
    ruleLanguage.filter((extension) => extension !== crisisRuleLanguage),
  );
  const crisisOptions = crisisRuleOptions(compiled.rules);
  const ruleSet = kit.ruleSet(others.ruleSet, () => crisisOptions);
  const state = memoryRuleState();
  const actionsOf = new Map(compiled.rules.map((rule) => [rule.id, rule.actions.map((action) => action.type)]));

  async function act(command: ActionCommand): Promise<Record<string, unknown>> {
    const flat = flattenAction(command);
    const executor: ActionExecutor | undefined = executors[command.type];
    if (!executor) return { ...flat, fate: 'would fail', reason: `no executor for action type '${command.type}'` };
    try {
      const result = await executor(command);
      if (result.status === 'held') {
        const approval = await stores.approvals.get(command.id);
        return { ...flat, ...heldFate(approval) };
      }
      return { ...flat, fate: result.status === 'succeeded' ? successFate(command.type) : result.status };
    } catch (error) {
      return { ...flat, fate: 'would fail', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  async function decide(event: CanonicalEvent, explain: boolean): Promise<DryRunLine> {
    const decision = await ruleSet.evaluate(event, { now, state, explain: true });
    const actions: Array<Record<string, unknown>> = [];
    for (const action of decision.actions) actions.push(await act(commandFor(event, action, now)));
    const suppressed = suppressedActions(decision);
    return {
      event: event.id,
      rules: decision.rules,
      actions,
      ...(suppressed.length > 0 ? { suppressed } : {}),
      ...(explain && decision.language !== undefined ? { lang: decision.language } : {}),
      ...(explain ? { explain: decision.explanation } : {}),
    };
  }

  /** The actions a rule that held did not take, with why (the explanation says). */
  function suppressedActions(decision: Decision): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const entry of decision.explanation ?? []) {
      if (entry.reason === undefined || !decision.rules.includes(entry.rule)) continue;
      const taken = new Set(decision.actions.filter((action) => action.ruleId === entry.rule).map((action) => action.index));
      const fate = suppressedFate(entry);
      for (const [index, type] of (actionsOf.get(entry.rule) ?? []).entries()) {
        if (taken.has(index)) continue;
        // A reply cap drops replies only; the rule's other actions ran.
        if (entry.outcome === 'fired' && type !== 'reply') continue;
        out.push({ type, rule: entry.rule, index, ...fate, reason: entry.reason });
      }
    }
    return out;
  }

  return {
    /** The sweep's work due by `at` (breaches, then resolves: the sweep's order), then the event, each as lines. */
    async evaluate(event: CanonicalEvent, at: Date, explain: boolean): Promise<DryRunLine[]> {
      now = at;
      const lines: DryRunLine[] = [];
      const tick = await others.advance(at);
      await kit.sweep();
      for (const breach of [...emitted.splice(0), ...tick.events]) {
        const sla = breach.meta?.sla as { dueAt?: unknown } | undefined;
        const line = await decide(breach, explain);
        lines.push({ ...line, sweep: 'sla breach', ...(typeof sla?.dueAt === 'string' ? { dueAt: sla.dueAt } : {}) });
      }
      for (const commands of dispatched.splice(0)) {
        const first = commands[0]!;
        const episode = await stores.episodes.current(first.ruleId);
        const dueAt = episode ? new Date(Date.parse(episode.lastEventAt) + episode.quietMs).toISOString() : undefined;
        const actions: Array<Record<string, unknown>> = [];
        for (const command of commands) actions.push(await act(command));
        lines.push({ event: first.eventId, rules: [first.ruleId], actions, sweep: 'resolve', ...(dueAt ? { dueAt } : {}) });
      }
      for (const decided of tick.decisions) {
        const actions = decided.actions.map((action) => ({ ...flattenAction(action), fate: 'would run' }));
        lines.push({ event: decided.eventId, rules: [decided.ruleId], actions, sweep: 'resolve' });
      }
      lines.push(await decide(event, explain));
      return lines;
    },
  };
}

function successFate(type: string): string {
  return type === 'reply' || type === 'post' || type === 'escalate' ? 'would send' : 'would run';
}

/** `held: …` from the approval the hold filed, by who held it and, for a guard, its code: never by the reason's words. */
function heldFate(approval: Approval | undefined): { fate: string; reason: string } {
  const reason = approval?.reason ?? '';
  if (approval?.heldBy === 'crisis') return { fate: 'held: crisis mode', reason };
  if (approval?.heldBy === 'rule') return { fate: 'held: by rule', reason };
  const guard = approval?.guard;
  if (guard?.code === 'sensitiveTerm') return { fate: `held: sensitive term '${guard.detail}'`, reason };
  if (guard?.code === 'doNotEngage') return { fate: `held: do-not-engage ${guard.detail}`, reason };
  if (guard?.code === 'tooLong') return { fate: `held: too long (${guard.detail})`, reason };
  return { fate: 'held', reason };
}

const SUPPRESSED: Record<HoldCode, string> = {
  perAuthor: 'suppressed: perAuthor',
  oncePerThread: 'suppressed: oncePerThread',
  perMinute: 'suppressed: perMinute',
  repliesPerAuthorPerDay: 'suppressed: repliesPerAuthorPerDay',
  volume: 'suppressed: volume',
  ownAccount: 'suppressed: own account',
  after: 'waiting: after',
};

/** Why a rule that held kept its actions back, by the code of the limit, guard or wait that did (create-rule-set, crisis-rule-set). */
function suppressedFate(entry: RuleExplanation): { fate: string; dueAt?: string } {
  return {
    fate: entry.code === undefined ? 'suppressed' : SUPPRESSED[entry.code],
    ...(entry.dueAt !== undefined ? { dueAt: entry.dueAt } : {}),
  };
}
