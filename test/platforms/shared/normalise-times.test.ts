import { describe, expect, it } from 'vitest';
import { NormaliseError } from '../../../functions/core/errors.js';
import { canonicalEventSchema } from '../../../functions/core/event.js';
import { isoFromEpochMs } from '../../../functions/platforms/shared/epoch.js';

/** The canonical event's check of a time: a four-digit year only. */
const canonicalTime = canonicalEventSchema.shape.createdAt;

describe('isoFromEpochMs', () => {
  it('gives the first and last millisecond of years 0 to 9999 as the canonical event holds them', () => {
    for (const [ms, iso] of [
      [-62_167_219_200_000, '0000-01-01T00:00:00.000Z'],
      [253_402_300_799_999, '9999-12-31T23:59:59.999Z'],
      [1_700_000_000_000.9, '2023-11-14T22:13:20.000Z'],
    ] as const) {
      expect(isoFromEpochMs(ms, 'event.ts')).toBe(iso);
      expect(canonicalTime.safeParse(iso).success).toBe(true);
    }
  });

  it('refuses a time after year 9999 or before year 0 with a 422 naming the field, as it does NaN', () => {
    for (const ms of [253_402_300_800_000, -62_167_219_200_001, 8.64e15, -8.64e15, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => isoFromEpochMs(ms, 'data.created_utc')).toThrow(
        new NormaliseError('`data.created_utc` is not a usable time (years 0 to 9999)', { path: 'data.created_utc', got: ms }),
      );
    }
  });
});
