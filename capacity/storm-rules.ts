import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleLanguage } from '../functions/app/rule-language.js';
import { toCompiledRuleSetFile } from '../functions/rules/compiled-rule-set.js';
import { compileRuleObjects, parseFoghornConfig } from '../functions/rules/index.js';
import { STORM_TEXTS } from './storm.js';

/**
 * The rule set the storm runs against, compiled as synth compiles a deployment's (infra/rules-for-deployment.ts):
 * one crisis volume rule (its matches open an episode that escalates and switches crisis mode on), one reply rule,
 * and one `after` rule whose response timers the sweep fires. The team config raises the circuit breaker out
 * of the way, so every reply the rules decide reaches act: the worst case for capacity.
 */
export const STORM_RULES = [
  {
    id: 'storm-outage',
    when: { all: [{ fact: 'text', operator: 'containsAny', value: ['outage'] }] },
    volume: { atLeast: 50, within: '5m', quiet: '10m' },
    then: [{ escalate: { target: 'oncall', severity: 'critical', summary: 'Outage reports are spiking' } }, { crisis: 'on' }],
  },
  {
    id: 'storm-hours',
    when: { all: [{ fact: 'text', operator: 'containsAny', value: ['opening hours'] }] },
    then: [{ reply: { text: 'We open at nine.' } }],
  },
  {
    id: 'storm-refund-waiting',
    when: { all: [{ fact: 'text', operator: 'containsAny', value: ['refund'] }] },
    after: '1m',
    then: [{ escalate: { target: 'support', summary: 'A refund request has waited a minute' } }],
  },
] as const;

export const STORM_CONFIG = {
  targets: { oncall: { description: 'On-call engineer' }, support: { description: 'Support leads' } },
  limits: { repliesPerAuthorPerDay: 5, breaker: { perMinute: 10_000_000, cooldown: '15m', target: 'oncall' } },
};

/** Writes the compiled rule set and its team config under `dir`, as the stack ships them; returns their paths. */
export function writeStormRules(dir: string): { compiledPath: string; teamConfigPath: string } {
  const config = parseFoghornConfig(STORM_CONFIG, 'capacity model config', { extensions: ruleLanguage });
  const file = toCompiledRuleSetFile(
    compileRuleObjects(STORM_RULES, config, { extensions: ruleLanguage, file: 'capacity/storm-rules.ts' }),
  );
  const compiledPath = join(dir, 'compiled.json');
  const teamConfigPath = join(dir, 'team-config.json');
  writeFileSync(compiledPath, JSON.stringify(file));
  writeFileSync(teamConfigPath, JSON.stringify(file.config));
  return { compiledPath, teamConfigPath };
}

/** Which storm texts each rule matches: how the kinds of delivery map onto the rules. */
export const STORM_MATCHES = {
  'storm-outage': STORM_TEXTS.spike,
  'storm-hours': STORM_TEXTS.reply,
  'storm-refund-waiting': STORM_TEXTS.complaint,
} as const;
