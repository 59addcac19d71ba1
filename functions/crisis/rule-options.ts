import { z } from 'zod';
import { durationSchema, parseDuration } from '../core/duration.js';
import { FoghornError } from '../core/errors.js';
import { MINUTE_MS } from './minutes.js';
import type { SpikeSpec } from './spike.js';

/**
 * The rule-level keys this module reads from a rule file:
 *
 *   volume: { atLeast: 30, within: 10m, quiet: 15m, baseline: { factor: 3, over: 1h, minCount: 10 } }
 *   after: 10m          # act only if the message is still unanswered this long after it was written
 *   crisisReply: true   # replies and posts of this rule go out even in crisis mode
 */
const duration = durationSchema();

export const volumeSchema = z
  .object({
    atLeast: z.number().int().positive().optional().describe('At least this many matching events within the window'),
    within: duration.describe('The sliding window, in whole minutes (10m)'),
    quiet: duration.optional().describe('No matching event for this long ends the episode (default: the window)'),
    baseline: z
      .object({
        factor: z.number().positive().describe('The window count must be at least factor × the trailing average'),
        over: duration.describe('How far back the trailing average looks (1h)'),
        minCount: z.number().int().positive().describe('Never fire below this count, whatever the baseline'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((volume) => volume.atLeast !== undefined || volume.baseline !== undefined, { message: 'give atLeast, baseline, or both' })
  .describe('Fire on volume: once per episode of matching events, resolved after a quiet period');

export const crisisRuleKeys = {
  volume: volumeSchema.optional(),
  after: duration.optional().describe('Act only when the message is still unanswered this long after it was written (1-minute precision)'),
  crisisReply: z.boolean().optional().describe('Replies and posts of this rule go out even in crisis mode'),
};

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

const optionsSchema = z.object(crisisRuleKeys);

/** The crisis options of each rule that has any, by rule id; a bad value names the rule and the key. */
export function crisisRuleOptions(rules: ReadonlyArray<{ id: string; spec: unknown }>): Map<string, CrisisRuleOptions> {
  const options = new Map<string, CrisisRuleOptions>();
  for (const rule of rules) {
    const spec = (rule.spec ?? {}) as Record<string, unknown>;
    const parsed = optionsSchema.safeParse({ volume: spec.volume, after: spec.after, crisisReply: spec.crisisReply });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new CrisisRuleOptionsError(`rule ${rule.id}: ${issues}`);
    }
    const { volume, after, crisisReply } = parsed.data;
    if (volume && after) throw new CrisisRuleOptionsError(`rule ${rule.id}: a rule has volume or after, not both`);
    const entry: CrisisRuleOptions = {};
    if (volume) {
      const windowMs = parseDuration(volume.within);
      if (windowMs < MINUTE_MS || windowMs % MINUTE_MS !== 0)
        throw new CrisisRuleOptionsError(`rule ${rule.id}: volume.within must be whole minutes (got ${volume.within})`);
      entry.volume = {
        windowMs,
        quietMs: volume.quiet ? parseDuration(volume.quiet) : windowMs,
        ...(volume.atLeast !== undefined ? { atLeast: volume.atLeast } : {}),
        ...(volume.baseline
          ? {
              baseline: { factor: volume.baseline.factor, overMs: parseDuration(volume.baseline.over), minCount: volume.baseline.minCount },
            }
          : {}),
      };
    }
    if (after) entry.after = { text: after, ms: parseDuration(after) };
    if (crisisReply) entry.crisisReply = true;
    if (Object.keys(entry).length > 0) options.set(rule.id, entry);
  }
  return options;
}
