import { z } from 'zod';
import { DURATION_MESSAGE, DURATION_PATTERN } from './duration.js';

/**
 * The zod form of a duration, for schemas of files that hold durations; `message` is what a bad value is told.
 * Apart from duration.ts so that code which only reads validated durations does not load zod.
 */
export function durationSchema(message: string = DURATION_MESSAGE): z.ZodString {
  return z.string().regex(DURATION_PATTERN, message);
}
