export const DEFAULT_PORT = 8787;
export const DEFAULT_RULES_DIR = 'rules';
export const DEFAULT_DATA_DIR = '.foghorn';
/** For local development only; the README says so and the runtime warns when it is in use. */
export const DEVELOPMENT_GENERIC_SECRET = 'foghorn-development-secret';
const MAX_LIST_LIMIT = 10_000;
const DEFAULT_LIST_LIMIT = 100;

/** `?limit=N` for the listing APIs: a whole number from 1 to 10,000, 100 when absent or unreadable. */
export function clampLimit(raw: string | null): number {
  const value = Number(raw);
  if (raw === null || !Number.isFinite(value) || value < 1) return DEFAULT_LIST_LIMIT;
  return Math.min(MAX_LIST_LIMIT, Math.floor(value));
}
