export const DEFAULT_PORT = 8787;
export const DEFAULT_RULES_DIR = 'rules';
export const DEFAULT_DATA_DIR = '.foghorn';
/** For local development only; the README says so and the runtime warns when it is in use. */
export const DEVELOPMENT_GENERIC_SECRET = 'foghorn-development-secret';

/** Where the data folder keeps each store: one sub-folder per engine, so switching never mixes them. */
export const STORE_FOLDERS = { embedded: 'embedded', dynamodb: 'dynamodb' } as const;

export const STORE_ENGINES = ['embedded', 'dynamodb'] as const;
export type StoreEngine = (typeof STORE_ENGINES)[number];

/**
 * Which store the local runtime keeps its data in: the embedded database (the default), or the same
 * DynamoDB stores as on AWS, over an embedded dynalite (no endpoint) or a DynamoDB at `endpoint`
 * (DynamoDB Local, with credentials from the usual AWS environment).
 */
export type StoreChoice = { engine: 'embedded' } | { engine: 'dynamodb'; endpoint?: string; region?: string };

/** A store setting the runtime cannot honour: it stops at start and names the variable. */
export class StoreSettingError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreSettingError';
  }
}

/** Reads FOGHORN_STORE and FOGHORN_DYNAMODB_ENDPOINT (and, with an endpoint, AWS_REGION). */
export function storeChoiceFrom(env: Readonly<Record<string, string | undefined>>): StoreChoice {
  const engine = env.FOGHORN_STORE?.trim() || 'embedded';
  const endpoint = env.FOGHORN_DYNAMODB_ENDPOINT?.trim() || undefined;
  if (!(STORE_ENGINES as readonly string[]).includes(engine)) {
    throw new StoreSettingError(
      'FOGHORN_STORE',
      `FOGHORN_STORE must be 'embedded' (the default) or 'dynamodb', got '${env.FOGHORN_STORE}'`,
    );
  }
  if (engine === 'embedded') {
    // An endpoint someone set would otherwise be ignored while the data goes elsewhere.
    if (endpoint) {
      throw new StoreSettingError(
        'FOGHORN_DYNAMODB_ENDPOINT',
        `FOGHORN_DYNAMODB_ENDPOINT is set (${endpoint}) but FOGHORN_STORE is 'embedded': set FOGHORN_STORE=dynamodb to use that DynamoDB, or unset FOGHORN_DYNAMODB_ENDPOINT`,
      );
    }
    return { engine: 'embedded' };
  }
  if (endpoint === undefined) return { engine: 'dynamodb' };
  if (!isHttpUrl(endpoint)) {
    throw new StoreSettingError(
      'FOGHORN_DYNAMODB_ENDPOINT',
      `FOGHORN_DYNAMODB_ENDPOINT must be an http(s) URL such as http://127.0.0.1:8000, got '${endpoint}'`,
    );
  }
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined;
  return { engine: 'dynamodb', endpoint, ...(region ? { region } : {}) };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
