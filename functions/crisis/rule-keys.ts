import { z } from 'zod';
import { durationSchema } from '../core/duration-schema.js';
import type { CrisisRuleKeys } from './rule-options.js';

/**
 * The zod schemas of the rule-level keys crisis mode adds (volume, after, crisisReply), for validating rule files
 * (the CLI, the local runtime, synth). A compiled rule set holds specs that passed them, so the evaluate Lambda
 * reads those keys with rule-options.ts alone and never loads zod.
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
  // What the schemas accept is what rule-options.ts reads: a key or a shape one has and the other lacks fails to compile.
} satisfies { [Key in keyof Required<CrisisRuleKeys>]: z.ZodType<CrisisRuleKeys[Key]> };
