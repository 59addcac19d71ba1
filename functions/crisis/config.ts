import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { durationSchema } from '../core/duration-schema.js';
import { FoghornError } from '../core/errors.js';

/**
 * The `crisis:` section of foghorn.config.yaml:
 *
 *   crisis:
 *     sensitiveTerms: [lawsuit, refund, "بازپرداخت"]   # outgoing text with one of these waits for a human
 *     doNotEngage: ["x:12345", "telegram:@someone", "@journalist"]
 *     approvals: { expireAfter: 24h }
 */
// Loose: other parts of Foghorn may keep their own keys in this section.
export const crisisSectionSchema = z
  .looseObject({
    sensitiveTerms: z
      .array(z.string().min(1))
      .default([])
      .describe('Outgoing text with one of these (whole words, normalised, any script) waits for a human'),
    doNotEngage: z
      .array(z.string().regex(/^([a-z0-9-]+:)?@?[^\s]+$/i, 'platform:authorId, platform:@handle or @handle'))
      .default([])
      .describe('Accounts never replied to: platform:authorId, platform:@handle or @handle'),
    approvals: z
      .object({
        expireAfter: durationSchema('a duration such as 30m or 24h').default('24h').describe('A pending approval expires after this long'),
      })
      .strict()
      .default({ expireAfter: '24h' }),
  })
  .describe('Crisis mode: sensitive terms, accounts never engaged, and approvals (docs/crisis.md)');

export interface CrisisConfig {
  sensitiveTerms: string[];
  doNotEngage: string[];
  approvalExpiryMs: number;
}

export class CrisisConfigError extends FoghornError {
  constructor(message: string) {
    super(message, { status: 400 });
  }
}

export function parseCrisisSection(raw: unknown, source = 'foghorn.config.yaml'): CrisisConfig {
  const parsed = crisisSectionSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  crisis.${issue.path.join('.')}: ${issue.message}`);
    throw new CrisisConfigError(`${source}: invalid crisis section:\n${lines.join('\n')}`);
  }
  return {
    sensitiveTerms: parsed.data.sensitiveTerms,
    doNotEngage: parsed.data.doNotEngage,
    approvalExpiryMs: parseDuration(parsed.data.approvals.expireAfter),
  };
}
