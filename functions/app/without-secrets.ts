import { redactionMarker } from '../core/outbound/index.js';

/**
 * Fields whose value is a credential wherever they sit: Discord's `meta.interactionToken` (it lets anyone who holds
 * it answer as the app for 15 minutes), and the same kind of name in a generic event's free-form `meta`.
 */
const SECRET_FIELD = /(token|secret|password|passwd|api[-_]?key|credential)$/i;

/**
 * A copy of an API answer with every secret-bearing field replaced by its redaction marker. The stores keep the
 * value (a held Discord reply still needs its interaction token when it is approved); only what is served changes.
 * The copy goes through JSON, as the answer will anyway.
 */
export function withoutSecrets<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value), (key, field: unknown) =>
    typeof field === 'string' && SECRET_FIELD.test(key) ? marker(field) : field,
  ) as T;
}

function marker(value: string): string {
  return value === '' || value.startsWith('[REDACTED') ? value : redactionMarker(value);
}
