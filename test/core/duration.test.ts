import { describe, expect, it } from 'vitest';
import { DURATION_MESSAGE, DurationError, isDuration, parseDuration } from '../../functions/core/duration.js';
import { durationSchema } from '../../functions/core/duration-schema.js';

describe('the duration grammar', () => {
  it('reads a whole number and a unit: s, m or min, h, d', () => {
    expect([parseDuration('30s'), parseDuration('10m'), parseDuration('10min'), parseDuration('24h'), parseDuration('7d')]).toEqual([
      30_000, 600_000, 600_000, 86_400_000, 604_800_000,
    ]);
    expect(parseDuration(' 15 m ')).toBe(900_000);
  });

  it('refuses anything else with a DurationError that says what a duration looks like', () => {
    expect(() => parseDuration('soon')).toThrow(DurationError);
    expect(() => parseDuration('1.5h')).toThrow("'1.5h' is not a duration such as 30s, 10m, 24h or 7d");
    expect([isDuration('10m'), isDuration('10'), isDuration('h'), isDuration('-1d')]).toEqual([true, false, false, false]);
  });

  it('has a zod form whose message each file chooses', () => {
    expect(durationSchema().safeParse('10m').success).toBe(true);
    expect(durationSchema().safeParse('tomorrow').error?.issues[0]?.message).toBe(DURATION_MESSAGE);
    expect(durationSchema('a duration such as 10m or 1h').safeParse('1 hour').error?.issues[0]?.message).toBe(
      'a duration such as 10m or 1h',
    );
  });
});
