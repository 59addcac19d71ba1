import type { OutboundRequest } from '../http.js';

/**
 * Removes secrets from a request before it is recorded: every occurrence of a configured secret value
 * (as is, URL-encoded, form-encoded or JSON-escaped) in the URL, headers and body, plus credentials
 * recognised by where they sit (Authorization-like headers, `access_token`-like parameters and JSON
 * fields, a Telegram `/bot<token>/` path, a Discord `/webhooks/<id>/<token>` path). The marker keeps at most the last 4 characters, and only of
 * values long enough that 4 characters reveal little.
 */
export function redactRequest(request: OutboundRequest, secrets: readonly string[]): OutboundRequest {
  const replaceSecrets = secretReplacer(secrets);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = redactHeader(name, replaceSecrets(value));
  }
  const url = redactParameters(redactDiscordWebhookPath(redactTelegramPath(replaceSecrets(request.url))), /[?&]/);
  const redacted: OutboundRequest = { method: request.method, url, headers };
  if (request.body !== undefined) redacted.body = redactBody(replaceSecrets(request.body), contentType(request.headers));
  return redacted;
}

/** `[REDACTED:wxyz]` for values of 12 characters or more, `[REDACTED]` for shorter ones. */
export function redactionMarker(value: string): string {
  return value.length >= 12 ? `[REDACTED:${value.slice(-4)}]` : '[REDACTED]';
}

/** Shorter values would match ordinary text; the config layer only passes values of 4+ characters anyway. */
const MIN_SECRET_LENGTH = 4;

function secretReplacer(secrets: readonly string[]): (text: string) => string {
  const markers = new Map<string, string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    const marker = redactionMarker(secret);
    for (const variant of encodings(secret)) {
      if (!markers.has(variant)) markers.set(variant, marker);
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  const variants = [...markers.keys()].sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const variant of variants) {
      if (result.includes(variant)) result = result.split(variant).join(markers.get(variant)!);
    }
    return result;
  };
}

function encodings(secret: string): string[] {
  return [secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)];
}

const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|api-?key|token|secret|password|session/i;
const SENSITIVE_NAME =
  '(?:access_token|refresh_token|id_token|token|api_key|apikey|key|client_secret|secret|password|oauth_token|oauth_token_secret|auth|signature|sig)';

function redactHeader(name: string, value: string): string {
  if (!SENSITIVE_HEADER.test(name) || value.includes('[REDACTED')) return value;
  // Keep the scheme (`Bearer`, `Bot`, `Basic`, `OAuth`) so the record still shows how the call authenticated.
  const scheme = /^([A-Za-z][\w-]*)\s+(\S.*)$/.exec(value);
  if (scheme && /authorization/i.test(name)) return `${scheme[1]} ${redactionMarker(scheme[2]!)}`;
  return redactionMarker(value);
}

/** `name=value` pairs with a credential-like name, in a query string (after `?`/`&`) or a form body (also at the start). */
function redactParameters(text: string, separator: RegExp): string {
  const pattern = new RegExp(`(^|${separator.source})(${SENSITIVE_NAME}=)([^&#]*)`, 'gi');
  return text.replace(pattern, (match, before: string, name: string, value: string) => {
    if (value === '' || value.startsWith('[REDACTED') || value.startsWith('%5BREDACTED')) return match;
    return `${before}${name}${redactionMarker(safeDecode(value))}`;
  });
}

const JSON_CREDENTIAL_FIELD = new RegExp(`("${SENSITIVE_NAME}"\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'gi');

function redactBody(body: string, type: string): string {
  if (type.includes('x-www-form-urlencoded')) return redactParameters(body, /&/);
  if (type.includes('json') || /^\s*[[{]/.test(body)) {
    return body.replace(JSON_CREDENTIAL_FIELD, (match, field: string, value: string) =>
      value === '' || value.startsWith('[REDACTED') ? match : `${field}"${redactionMarker(value)}"`,
    );
  }
  return body;
}

/** The Bot API token is `<bot id>:<35 characters>`; redact it even when it is not among the configured secrets. */
function redactTelegramPath(url: string): string {
  return url.replace(/\/bot(\d+:[A-Za-z0-9_-]{20,})(?=\/|$)/, (_match, token: string) => `/bot${redactionMarker(token)}`);
}

/** A Discord interaction follow-up, `/webhooks/<application id>/<interaction token>`: the token is the credential. */
function redactDiscordWebhookPath(url: string): string {
  return url.replace(
    /\/webhooks\/(\d+)\/([A-Za-z0-9_.-]{20,})(?=\/|\?|$)/,
    (_match, id: string, token: string) => `/webhooks/${id}/${redactionMarker(token)}`,
  );
}

function contentType(headers: Readonly<Record<string, string>>): string {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === 'content-type') return value.toLowerCase();
  return '';
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
