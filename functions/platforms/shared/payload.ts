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

/**
 * A payload string an event's id, author or channel is made of: absent stays undefined (the caller decides), but
 * empty is a NormaliseError naming `path`, since no platform sends an empty id and reading it as absent would
 * put another author or channel in its place.
 */
export function nonEmptyId(value: string | undefined, path: string): string | undefined {
  if (value === '') throw new NormaliseError(`\`${path}\` is empty`, { path });
  return value;
}
