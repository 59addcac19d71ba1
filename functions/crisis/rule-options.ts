import { DURATION_MESSAGE, isDuration, parseDuration } from '../core/duration.js';
import { FoghornError } from '../core/errors.js';
import { MINUTE_MS } from './minutes.js';
import type { SpikeSpec } from './spike.js';

/**
 * The rule-level keys this module reads from a rule file:
 *
 *   volume: { atLeast: 30, within: 10m, quiet: 15m, baseline: { factor: 3, over: 1h, minCount: 10 } }
 *   after: 10m          # act only if the message is still unanswered this long after it was written
 *   crisisReply: true   # replies and posts of this rule go out even in crisis mode
 *
 * Their schemas are in rule-keys.ts (zod, for validation); this module reads specs that passed them, with no zod,
 * and still refuses a value of the wrong shape, naming the rule and the key.
 */
export const CRISIS_RULE_KEY_NAMES = ['volume', 'after', 'crisisReply'] as const;

/** The crisis keys of a validated rule spec. */
export interface CrisisRuleKeys {
  volume?:
    | {
        atLeast?: number | undefined;
        within: string;
        quiet?: string | undefined;
        baseline?: { factor: number; over: string; minCount: number } | undefined;
      }
    | undefined;
  after?: string | undefined;
  crisisReply?: boolean | undefined;
}

export interface CrisisRuleOptions {
  volume?: SpikeSpec;
  after?: { text: string; ms: number };
  crisisReply?: boolean;
}

export class CrisisRuleOptionsError extends FoghornError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
}

/** The crisis options of each rule that has any, by rule id; a bad value names the rule and the key. */
export function crisisRuleOptions(rules: ReadonlyArray<{ id: string; spec: unknown }>): Map<string, CrisisRuleOptions> {
  const options = new Map<string, CrisisRuleOptions>();
  for (const rule of rules) {
    const spec = (rule.spec ?? {}) as Record<string, unknown>;
    const fail = (path: string, message: string) => new CrisisRuleOptionsError(`rule ${rule.id}: ${path}: ${message}`);
    const durationMs = (path: string, value: unknown): number => {
      if (typeof value !== 'string' || !isDuration(value)) throw fail(path, DURATION_MESSAGE);
      return parseDuration(value);
    };
    const positive = (path: string, value: unknown, integer: boolean): number => {
      if (typeof value !== 'number' || !(value > 0) || (integer && !Number.isInteger(value))) {
        throw fail(path, integer ? 'a whole number above 0' : 'a number above 0');
      }
      return value;
    };
    const { volume, after, crisisReply } = spec;
    if (volume !== undefined && after !== undefined)
      throw new CrisisRuleOptionsError(`rule ${rule.id}: a rule has volume or after, not both`);
    if (crisisReply !== undefined && typeof crisisReply !== 'boolean') throw fail('crisisReply', 'true or false');
    const entry: CrisisRuleOptions = {};
    if (volume !== undefined) {
      if (volume === null || typeof volume !== 'object' || Array.isArray(volume))
        throw fail('volume', 'a mapping such as { atLeast: 30, within: 10m }');
      const { atLeast, within, quiet, baseline } = volume as Record<string, unknown>;
      if (atLeast === undefined && baseline === undefined) throw fail('volume', 'give atLeast, baseline, or both');
      const windowMs = durationMs('volume.within', within);
      if (windowMs < MINUTE_MS || windowMs % MINUTE_MS !== 0)
        throw new CrisisRuleOptionsError(`rule ${rule.id}: volume.within must be whole minutes (got ${String(within)})`);
      const spike: SpikeSpec = { windowMs, quietMs: quiet === undefined ? windowMs : durationMs('volume.quiet', quiet) };
      if (atLeast !== undefined) spike.atLeast = positive('volume.atLeast', atLeast, true);
      if (baseline !== undefined) {
        if (baseline === null || typeof baseline !== 'object') throw fail('volume.baseline', 'a mapping { factor, over, minCount }');
        const { factor, over, minCount } = baseline as Record<string, unknown>;
        spike.baseline = {
          factor: positive('volume.baseline.factor', factor, false),
          overMs: durationMs('volume.baseline.over', over),
          minCount: positive('volume.baseline.minCount', minCount, true),
        };
      }
      entry.volume = spike;
    }
    if (after !== undefined) entry.after = { text: after as string, ms: durationMs('after', after) };
    if (crisisReply) entry.crisisReply = true;
    if (Object.keys(entry).length > 0) options.set(rule.id, entry);
  }
  return options;
}
