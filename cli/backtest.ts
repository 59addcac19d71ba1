import { type DryRunLine, dryRun } from '../functions/app/dry-run.js';
import type { CanonicalEvent } from '../functions/core/event.js';
import type { CompiledRules } from '../functions/rules/index.js';

/** An event that fires under one rule set and not the other. */
export interface BacktestSample {
  id: string;
  text: string;
}

/** One rule, replayed through both rule sets. */
export interface RuleComparison {
  rule: string;
  /** Which rule sets have it: both, only the new one, only the live one. */
  in: 'both' | 'new' | 'live';
  /** Events the rule acts on under the new rules, and under the live ones. */
  wouldFire: number;
  firesNow: number;
  /** wouldFire − firesNow. */
  difference: number;
  /** Events it would act on that it does not act on now, and the reverse; a few of each as samples. */
  newlyFiring: { count: number; samples: BacktestSample[] };
  noLongerFiring: { count: number; samples: BacktestSample[] };
}

export interface BacktestReport {
  events: number;
  /** The first and last receivedAt replayed. */
  first?: string;
  last?: string;
  rules: RuleComparison[];
}

export interface BacktestOptions {
  /** Samples kept per rule and direction. */
  samples?: number;
  /** Called after each event with how many of the total are replayed. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Replays the archive, oldest first, through the new rule set and through the live one, each in a dry run of its
 * own (app/dry-run.ts: the runtime's crisis kit, limits and act stage over memory stores, nothing sent), each event
 * at its receivedAt. A rule fires on an event when it acted on it (whatever the action's fate: held for approval
 * counts); the sweep's SLA breach events count as events, its resolves do not.
 */
export async function backtest(
  archive: readonly CanonicalEvent[],
  next: CompiledRules,
  live: CompiledRules,
  options: BacktestOptions = {},
): Promise<BacktestReport> {
  const events = [...archive].sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  const texts = new Map(events.map((event) => [event.id, event.text]));
  const runs = { next: dryRun(next), live: dryRun(live) };
  const fired = { next: new Map<string, Set<string>>(), live: new Map<string, Set<string>>() };
  for (const [index, event] of events.entries()) {
    const at = new Date(event.receivedAt);
    for (const side of ['next', 'live'] as const) record(fired[side], await runs[side].evaluate(event, at, false));
    options.onProgress?.(index + 1, events.length);
  }
  const liveIds = new Set(live.rules.map((rule) => rule.id));
  const nextIds = new Set(next.rules.map((rule) => rule.id));
  const ruleIds = [...nextIds, ...[...liveIds].filter((id) => !nextIds.has(id))];
  const keep = options.samples ?? 3;
  const sample = (ids: string[]) => ({
    count: ids.length,
    samples: ids.slice(0, keep).map((id) => ({ id, text: texts.get(id) ?? '' })),
  });
  return {
    events: events.length,
    ...(events.length > 0 ? { first: events[0]!.receivedAt, last: events.at(-1)!.receivedAt } : {}),
    rules: ruleIds.map((rule) => {
      const would = fired.next.get(rule) ?? new Set<string>();
      const now = fired.live.get(rule) ?? new Set<string>();
      return {
        rule,
        in: nextIds.has(rule) && liveIds.has(rule) ? 'both' : nextIds.has(rule) ? 'new' : 'live',
        wouldFire: would.size,
        firesNow: now.size,
        difference: would.size - now.size,
        newlyFiring: sample([...would].filter((id) => !now.has(id))),
        noLongerFiring: sample([...now].filter((id) => !would.has(id))),
      };
    }),
  };
}

/** Notes, per rule, the events it acted on in these lines (a spike's resolve is not a firing). */
function record(fired: Map<string, Set<string>>, lines: readonly DryRunLine[]): void {
  for (const line of lines) {
    if (line.sweep === 'resolve') continue;
    for (const action of line.actions) {
      const rule = String(action.rule);
      const events = fired.get(rule) ?? new Set<string>();
      events.add(line.event);
      fired.set(rule, events);
    }
  }
}
