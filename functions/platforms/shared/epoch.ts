import { NormaliseError } from '../../core/errors.js';

/** The times an ISO string holds with a four-digit year: 0000-01-01 to 9999-12-31, what the canonical event accepts. */
const MIN_EPOCH_MS = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_EPOCH_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** An ISO time from epoch milliseconds, or a NormaliseError naming the field when the value is no usable time. */
export function isoFromEpochMs(ms: number, path: string): string {
  if (!isUsableEpochMs(ms)) throw new NormaliseError(`\`${path}\` is not a usable time (years 0 to 9999)`, { path, got: ms });
  return new Date(Math.floor(ms)).toISOString();
}

/** Whether `ms` is a time the canonical event can hold (a finite number within years 0 to 9999). */
export function isUsableEpochMs(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS;
}
