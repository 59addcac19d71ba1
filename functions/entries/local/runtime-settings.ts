export const DEFAULT_PORT = 8787;
export const DEFAULT_RULES_DIR = 'rules';
export const DEFAULT_DATA_DIR = '.foghorn';
/** For local development only; the README says so and the runtime warns when it is in use. */
export const DEVELOPMENT_GENERIC_SECRET = 'foghorn-development-secret';
