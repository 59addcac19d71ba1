/**
 * Sign-in on AWS: Cognito's hosted UI with the authorization code flow and PKCE (S256). The page keeps the tokens in
 * this tab only (sessionStorage, never localStorage), sends the access token as `Authorization: Bearer …` on /api/*,
 * refreshes it shortly before it expires, and signs out through the hosted UI's /logout.
 */

/** `config.signIn` of the deployed `/config.json` (infra/constructs/console-auth.ts writes it). */
export interface CognitoSignIn {
  kind: 'cognito';
  region: string;
  userPoolId: string;
  clientId: string;
  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  domain: string;
  redirectUri: string;
  logoutUri: string;
  scopes: string[];
}

/** The deployed `/config.json` (infra/constructs/console-hosting.ts); absent locally. */
export interface DeploymentConfig {
  runtime: 'aws';
  api: string;
  live: 'poll';
  signIn: CognitoSignIn;
}

/** What the token endpoint answers (access_token, id_token, refresh_token, token_type, expires_in). */
interface TokenAnswer {
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
}

interface Tokens {
  access: string;
  id?: string;
  refresh?: string;
  /** ms since the epoch */
  expiresAt: number;
}

const TOKENS = 'foghorn.tokens';
const PENDING = 'foghorn.sign-in';
/** Refresh this long before the access token expires. */
const REFRESH_EARLY_MS = 60_000;

let config: DeploymentConfig | undefined;
let tokens: Tokens | undefined;
let refreshing: Promise<Tokens | undefined> | undefined;

/** Reads `/config.json`: a deployment's sign-in, or `undefined` (404, or no such file) for the local runtime. */
export async function loadDeployment(): Promise<DeploymentConfig | undefined> {
  let response: Response;
  try {
    response = await fetch('/config.json', { headers: { accept: 'application/json' }, cache: 'no-cache' });
  } catch {
    return undefined;
  }
  if (!response.ok) return undefined;
  let parsed: Partial<DeploymentConfig>;
  try {
    parsed = (await response.json()) as Partial<DeploymentConfig>;
  } catch {
    return undefined;
  }
  if (parsed.runtime !== 'aws' || parsed.signIn?.kind !== 'cognito') return undefined;
  config = parsed as DeploymentConfig;
  tokens = readTokens();
  return config;
}

/** The deployment the console runs in, once `loadDeployment` found one. */
export function deployment(): DeploymentConfig | undefined {
  return config;
}

function readTokens(): Tokens | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(TOKENS) ?? 'null') as Tokens | null;
    return stored && typeof stored.access === 'string' ? stored : undefined;
  } catch {
    return undefined;
  }
}

function keep(next: Tokens | undefined): void {
  tokens = next;
  if (next) sessionStorage.setItem(TOKENS, JSON.stringify(next));
  else sessionStorage.removeItem(TOKENS);
}

function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** RFC 7636 S256: BASE64URL(SHA-256(verifier)). */
export async function challengeOf(verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** Goes to the hosted UI; it comes back to `redirectUri?code=…&state=…`. `next`: the console path to return to. */
export async function startSignIn(next: string): Promise<void> {
  const signIn = required().signIn;
  const verifier = randomText(48);
  const state = randomText(24);
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, next }));
  const url = new URL('/oauth2/authorize', signIn.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: signIn.clientId,
    redirect_uri: signIn.redirectUri,
    scope: signIn.scopes.join(' '),
    state,
    code_challenge_method: 'S256',
    code_challenge: await challengeOf(verifier),
  }).toString();
  location.assign(url.toString());
}

/**
 * The hosted UI's return to `/login?code=…&state=…`: checks the state against the one this tab sent, redeems the code
 * with its verifier, keeps the tokens. Returns the console path to go on to; throws with a message for the reader.
 */
export async function finishSignIn(search: URLSearchParams): Promise<string> {
  const signIn = required().signIn;
  const error = search.get('error');
  if (error) throw new Error(`Sign-in was refused: ${search.get('error_description') ?? error}`);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { state: string; verifier: string; next: string } | null;
  sessionStorage.removeItem(PENDING);
  const code = search.get('code');
  if (!pending || !code || search.get('state') !== pending.state) {
    throw new Error('This sign-in did not start in this tab (its state does not match). Sign in again.');
  }
  const answer = await tokenRequest({
    grant_type: 'authorization_code',
    client_id: signIn.clientId,
    code,
    redirect_uri: signIn.redirectUri,
    code_verifier: pending.verifier,
  });
  if (!answer?.access_token) throw new Error('Sign-in failed: the token endpoint gave no access token. Sign in again.');
  keep(tokensOf(answer));
  return pending.next;
}

async function tokenRequest(fields: Record<string, string>): Promise<TokenAnswer | undefined> {
  const response = await fetch(new URL('/oauth2/token', required().signIn.domain).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  });
  if (!response.ok) return undefined;
  return (await response.json()) as TokenAnswer;
}

function tokensOf(answer: TokenAnswer, previous?: Tokens): Tokens {
  const refresh = answer.refresh_token ?? previous?.refresh;
  const id = answer.id_token ?? previous?.id;
  return {
    access: answer.access_token ?? '',
    ...(id ? { id } : {}),
    ...(refresh ? { refresh } : {}),
    expiresAt: Date.now() + (answer.expires_in ?? 3600) * 1000,
  };
}

/** The access token for the next request, refreshed first when it expires within a minute; `undefined`: signed out. */
export async function accessToken(): Promise<string | undefined> {
  if (!tokens) return undefined;
  if (tokens.expiresAt - REFRESH_EARLY_MS > Date.now()) return tokens.access;
  refreshing ??= refresh().finally(() => {
    refreshing = undefined;
  });
  return (await refreshing)?.access;
}

async function refresh(): Promise<Tokens | undefined> {
  const current = tokens;
  if (!current?.refresh) {
    keep(undefined);
    return undefined;
  }
  let answer: TokenAnswer | undefined;
  try {
    answer = await tokenRequest({ grant_type: 'refresh_token', client_id: required().signIn.clientId, refresh_token: current.refresh });
  } catch {
    // Unreachable for now: keep the token until it has expired, and try again on the next request.
    return current.expiresAt > Date.now() ? current : undefined;
  }
  keep(answer?.access_token ? tokensOf(answer, current) : undefined);
  return tokens;
}

/** Forgets the tokens and ends the hosted UI's session, which sends the reader back to `logoutUri`. */
export function signOut(): void {
  const signIn = required().signIn;
  keep(undefined);
  const url = new URL('/logout', signIn.domain);
  url.search = new URLSearchParams({ client_id: signIn.clientId, logout_uri: signIn.logoutUri }).toString();
  location.assign(url.toString());
}

function required(): DeploymentConfig {
  if (!config) throw new Error('no deployment config: the console runs against the local runtime');
  return config;
}
