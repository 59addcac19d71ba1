import { DURATION_MESSAGE, isDuration, parseDuration } from '../core/duration.js';
import { FoghornError } from '../core/errors.js';

/**
 * The `analytics:` section of foghorn.config.yaml:
 *
 *   analytics:
 *     responseTarget: 10m     # the team's first-response target; the share answered within it is reported
 *
 * Every problem is reported at once, each with the field; the team config's check (rule-language.ts) adds the
 * file and the line. No YAML parser here: the pipeline reads the section on its hot path.
 */

export const DEFAULT_RESPONSE_TARGET = '10m';

export interface AnalyticsConfig {
  /** As written (`10m`). */
  responseTarget: string;
  responseTargetMs: number;
}

export class AnalyticsConfigError extends FoghornError {
  constructor(
    message: string,
    readonly problems: readonly AnalyticsConfigProblem[],
  ) {
    super(message, { status: 400, detail: { problems } });
  }
}

const KEYS = ['responseTarget'];

export interface AnalyticsConfigProblem {
  path: string[];
  message: string;
}

/** The analytics section (absent: the defaults); AnalyticsConfigError lists every problem, naming the field. */
export function parseAnalyticsSection(value: unknown, source = 'foghorn.config.yaml'): AnalyticsConfig {
  const problems: AnalyticsConfigProblem[] = [];
  let responseTarget = DEFAULT_RESPONSE_TARGET;
  if (value !== undefined && value !== null) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ path: ['analytics'], message: 'must be a mapping, such as analytics: { responseTarget: 10m }' });
    } else {
      const fields = value as Record<string, unknown>;
      for (const key of Object.keys(fields))
        if (!KEYS.includes(key))
          problems.push({ path: ['analytics', key], message: `unknown key '${key}': the section has responseTarget` });
      const target = fields.responseTarget;
      if (target !== undefined && target !== null) {
        if (typeof target !== 'string' || !isDuration(target)) {
          problems.push({ path: ['analytics', 'responseTarget'], message: `must be ${DURATION_MESSAGE}, got ${JSON.stringify(target)}` });
        } else if (parseDuration(target) <= 0) {
          problems.push({ path: ['analytics', 'responseTarget'], message: `must be longer than nothing, got '${target}'` });
        } else {
          responseTarget = target.trim();
        }
      }
    }
  }
  if (problems.length > 0)
    throw new AnalyticsConfigError(
      problemText(source, problems, () => 0),
      problems,
    );
  return { responseTarget, responseTargetMs: parseDuration(responseTarget) };
}

/** The error's message: each problem on a line of its own, with the file and, when `lineOf` knows it, the line. */
export function problemText(
  source: string,
  problems: readonly AnalyticsConfigProblem[],
  lineOf: (path: readonly string[]) => number,
): string {
  const lines = problems.map(({ path, message }) => {
    const line = lineOf(path);
    return `  ${source}${line > 0 ? `:${line}` : ''}: ${path.join('.')}: ${message}`;
  });
  return `${source}: invalid analytics section:\n${lines.join('\n')}`;
}
