/**
 * Foghorn's compiled matcher against json-rules-engine on the same rules and events: events per
 * second, compile time, retained heap, and a check that both fire the same rules.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ruleLanguage } from '../functions/app/rule-language.js';
import type { CanonicalEvent } from '../functions/core/event.js';
import { parseFoghornConfig } from '../functions/rules/config.js';
import { createRuleSet } from '../functions/rules/create-rule-set.js';
import { memoryRuleState } from '../functions/rules/memory-rule-state.js';
import { textTokens } from '../functions/text/index.js';
import { compileBenchRules, factsOf, jreFor, matcherFor } from './engines.js';
import type { BenchRule } from './workload.js';

export interface MatchingFigures {
  rules: number;
  /** Events per second of this process's CPU time (one core), robust to other load on the machine. */
  foghornEventsPerCpuSecond: number;
  /** Events per wall-clock second, as measured. */
  foghornEventsPerSecond: number;
  jreEventsPerCpuSecond: number;
  jreEventsPerSecond: number;
  /** Foghorn / json-rules-engine, per CPU second. */
  ratio: number;
  /** CPU µs per event the rules module's text analysis (normalise + tokenize) takes alone: a floor for both engines. */
  textAnalysisMicros: number;
  /** Mean candidates the index let through per event. */
  candidatesPerEvent: number;
  firedPerEvent: number;
  /** Matcher compile time, CPU ms (wall ms beside it). */
  compileCpuMs: number;
  compileMs: number;
  /** The rules module's validation and compilation of the same rules (YAML-free), for context. */
  validateMs: number;
  foghornHeapBytes: number;
  jreHeapBytes: number;
  jreEventsMeasured: number;
  /** Share of the events on which the matcher fired at least one rule. */
  matchedShare: number;
  /** Events on which the two disagreed (must be 0). */
  disagreements: number;
  /** The whole RuleSet.evaluate of the rules module (facts, matcher, limits, actions), per CPU second. */
  ruleSetEventsPerCpuSecond: number;
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export interface Rate {
  perSecond: number;
  perCpuSecond: number;
  count: number;
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

/** Runs `step` in rounds until `minMs` have passed. */
export function throughput(events: number, minMs: number, step: (index: number) => void): Rate {
  let count = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < events; i++) step(count++);
    elapsed = performance.now() - start;
  }
  return { perSecond: (count / elapsed) * 1000, perCpuSecond: (count / cpuMicros(cpu)) * 1e6, count };
}

/** json-rules-engine gets a fixed number of events per size, so 10,000 rules finishes in seconds. */
export const JRE_EVENTS: Readonly<Record<number, number>> = { 10: 1000, 100: 300, 1000: 30, 10000: 4 };

export async function measureMatching(rules: readonly BenchRule[], events: readonly CanonicalEvent[]): Promise<MatchingFigures> {
  const size = rules.length;
  let started = performance.now();
  const bench = compileBenchRules(rules);
  const { compiled, text } = bench;
  const validateMs = performance.now() - started;
  const facts = events.map((event) => factsOf(event, bench.factNames));

  const beforeMatcher = heapUsed();
  const compileCpu = process.cpuUsage();
  started = performance.now();
  const matcher = matcherFor(bench);
  const compileMs = performance.now() - started;
  const compileCpuMs = cpuMicros(compileCpu) / 1000;
  const foghornHeapBytes = heapUsed() - beforeMatcher;
  if (!matcher.fullyCompiled) throw new Error(`bench rules fell back to json-rules-engine: ${JSON.stringify(matcher.fallbackRules)}`);

  const beforeEngine = heapUsed();
  const engine = jreFor(bench);
  const jreHeapBytes = heapUsed() - beforeEngine;

  // Warm up both (JIT, caches), then measure.
  for (let i = 0; i < Math.min(200, facts.length); i++) matcher.matchSync(facts[i] as Record<string, unknown>);
  await engine.run(facts[0] as Record<string, unknown>);

  let fired = 0;
  const foghorn = throughput(facts.length, 1500, (index) => {
    fired += matcher.matchSync(facts[index % facts.length] as Record<string, unknown>).ruleIds.length;
  });
  let candidates = 0;
  let matched = 0;
  for (const eventFacts of facts) {
    candidates += matcher.candidates(eventFacts).length;
    if (matcher.matchSync(eventFacts).ruleIds.length > 0) matched++;
  }
  const texts = events.map((event) => event.text);
  const analysis = throughput(texts.length, 500, (index) => textTokens(texts[index % texts.length] as string));

  const jreEvents = JRE_EVENTS[size] ?? 10;
  let disagreements = 0;
  const jreCpu = process.cpuUsage();
  started = performance.now();
  for (let i = 0; i < jreEvents; i++) {
    const eventFacts = facts[i % facts.length] as Record<string, unknown>;
    const { results } = await engine.run(eventFacts);
    const expected = results
      .map((result) => result.name)
      .sort()
      .join(',');
    if (matcher.matchSync(eventFacts).ruleIds.slice().sort().join(',') !== expected) disagreements++;
  }
  const jreMs = performance.now() - started;
  // The check above runs the matcher too; its share is negligible next to the engine's.
  const jreEventsPerCpuSecond = (jreEvents / cpuMicros(jreCpu)) * 1e6;
  const jreEventsPerSecond = (jreEvents / jreMs) * 1000;

  const ruleSet = createRuleSet(compiled, parseFoghornConfig({}, undefined, { extensions: ruleLanguage }), text);
  const state = memoryRuleState();
  const now = new Date('2026-01-05T10:00:00Z');
  for (let i = 0; i < 200; i++) await ruleSet.evaluate(events[i % events.length] as CanonicalEvent, { now, state });
  let evaluated = 0;
  const ruleSetCpu = process.cpuUsage();
  const ruleSetStarted = performance.now();
  while (performance.now() - ruleSetStarted < 1000) {
    await ruleSet.evaluate(events[evaluated % events.length] as CanonicalEvent, { now, state });
    evaluated++;
  }
  const ruleSetEventsPerCpuSecond = (evaluated / cpuMicros(ruleSetCpu)) * 1e6;

  return {
    rules: size,
    ruleSetEventsPerCpuSecond,
    foghornEventsPerCpuSecond: foghorn.perCpuSecond,
    foghornEventsPerSecond: foghorn.perSecond,
    jreEventsPerCpuSecond,
    jreEventsPerSecond,
    ratio: foghorn.perCpuSecond / jreEventsPerCpuSecond,
    textAnalysisMicros: 1e6 / analysis.perCpuSecond,
    candidatesPerEvent: candidates / facts.length,
    matchedShare: matched / facts.length,
    firedPerEvent: fired / foghorn.count,
    compileCpuMs,
    compileMs,
    validateMs,
    foghornHeapBytes,
    jreHeapBytes,
    jreEventsMeasured: jreEvents,
    disagreements,
  };
}
