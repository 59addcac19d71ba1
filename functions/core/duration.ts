import { FoghornError } from './errors.js';

/**
 * Durations as Foghorn's files write them (rules, foghorn.config.yaml): a whole number and a unit,
 * `30s`, `10m` (or `10min`), `24h`, `7d`. The one grammar: every schema and parser uses this module.
 */
export const DURATION_PATTERN = /^\d+\s*(s|m|min|h|d)$/;

/** A count per duration, `1/24h` (a rule's perAuthor limit). */
export const COUNT_PER_DURATION_PATTERN = new RegExp(String.raw`^\d+\s*\/\s*` + DURATION_PATTERN.source.slice(1));

export const DURATION_MESSAGE = 'a duration such as 30s, 10m, 24h or 7d';

const UNIT_MS = { s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export class DurationError extends FoghornError {
  constructor(text: string) {
    super(`'${text}' is not ${DURATION_MESSAGE}`, { status: 400 });
  }
}

export function isDuration(text: string): boolean {
  return DURATION_PATTERN.test(text.trim());
}

/** Milliseconds in a duration such as `30s`, `10m`, `24h`, `7d`; throws DurationError for anything else. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const match = DURATION_PATTERN.exec(trimmed);
  if (!match) throw new DurationError(text);
  return Number.parseInt(trimmed, 10) * UNIT_MS[match[1] as keyof typeof UNIT_MS];
}
