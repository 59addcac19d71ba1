import type { z } from 'zod';
import { BadRequestError, NormaliseError } from '../../core/errors.js';

/** The body as JSON; a body that is not JSON is a 400. */
export function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new BadRequestError('body is not JSON', { reason: (error as Error).message });
  }
}

/** Validates a part of a signed payload; a mismatch is a NormaliseError naming each wrong path. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`);
    throw new NormaliseError(`cannot read ${where}: ${issues.join('; ')}`, { issues });
  }
  return result.data;
}

/** An ISO time from epoch milliseconds; a value no Date can hold is a NormaliseError, not a RangeError. */
export function isoFromMillis(millis: number, where: string): string {
  const date = new Date(millis);
  if (!Number.isFinite(millis) || Number.isNaN(date.getTime())) throw new NormaliseError(`${where} is not a readable time`);
  return date.toISOString();
}
