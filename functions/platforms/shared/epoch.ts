import { NormaliseError } from '../../core/errors.js';

/** Dates JavaScript can represent: ±8.64e15 ms around 1970. */
const MAX_EPOCH_MS = 8.64e15;

/** An ISO time from epoch milliseconds, or a NormaliseError naming the field when the value is no usable time. */
export function isoFromEpochMs(ms: number, path: string): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) throw new NormaliseError(`\`${path}\` is not a usable time`, { path, got: ms });
  return new Date(Math.floor(ms)).toISOString();
}
