import type { Connector } from '../connector.js';
import { FoghornError } from '../errors.js';

/**
 * What to do with a reply or post whose call may have reached the platform but got no answer:
 * `retry` it with the same deduplication key (only where the platform deduplicates), `reconcile` it
 * through the platform's read API (only where there is one), or `hold` it as `unknown` for a person.
 */
export type OnAmbiguous = 'retry' | 'reconcile' | 'hold';
export const ON_AMBIGUOUS: readonly OnAmbiguous[] = ['retry', 'reconcile', 'hold'];

/** The `outbound:` section of the team config names a platform or a value that cannot work. */
export class OutboundConfigError extends FoghornError {
  constructor(path: string, message: string) {
    super(`team config ${path}: ${message}`, { status: 400, detail: { path } });
  }
}

/** Each platform's choice, as parsed from `outbound: { <platform>: { onAmbiguous } }`; unlisted ones take the default. */
export type OutboundPolicies = ReadonlyMap<string, OnAmbiguous>;

/**
 * What the choice depends on: whether the platform deduplicates a repeated request, and whether Foghorn can ask it
 * what went out. A connector says so by having `deduplication` and `reconcile`; functions/platforms/limits.ts lists
 * the same per platform, so the config can be checked without loading the connectors.
 */
export interface OutcomeCapabilities {
  readonly deduplicates: boolean;
  readonly reconciles: boolean;
}

export function outcomeCapabilities(of: Connector | OutcomeCapabilities): OutcomeCapabilities {
  if ('deduplicates' in of) return of;
  return { deduplicates: of.deduplication !== undefined, reconciles: of.reconcile !== undefined };
}

/** Retry where the platform deduplicates, else reconcile where it can be asked, else hold. */
export function defaultOnAmbiguous(of: Connector | OutcomeCapabilities): OnAmbiguous {
  const { deduplicates, reconciles } = outcomeCapabilities(of);
  if (deduplicates) return 'retry';
  return reconciles ? 'reconcile' : 'hold';
}

export function onAmbiguousFor(policies: OutboundPolicies, connector: Connector): OnAmbiguous {
  return policies.get(connector.platform) ?? defaultOnAmbiguous(connector);
}

/**
 * Reads and checks the team config's `outbound:` section (absent: every platform's default). Refuses an
 * unknown platform or value, `retry` where the platform does not deduplicate (it would post twice) and
 * `reconcile` where it has no read API. `rules validate` can run it to refuse a bad file early.
 */
export function parseOutboundSection(
  section: unknown,
  capabilitiesFor: (platform: string) => Connector | OutcomeCapabilities | undefined,
): OutboundPolicies {
  const policies = new Map<string, OnAmbiguous>();
  if (section === undefined || section === null) return policies;
  if (typeof section !== 'object' || Array.isArray(section)) {
    throw new OutboundConfigError('outbound', 'must be a mapping of platform → { onAmbiguous }');
  }
  for (const [platform, entry] of Object.entries(section)) {
    const path = `outbound.${platform}`;
    const found = capabilitiesFor(platform);
    if (!found) throw new OutboundConfigError(path, `unknown platform '${platform}'`);
    const can = outcomeCapabilities(found);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new OutboundConfigError(path, `must be a mapping like { onAmbiguous: ${defaultOnAmbiguous(can)} }`);
    }
    for (const key of Object.keys(entry)) {
      if (key !== 'onAmbiguous') throw new OutboundConfigError(`${path}.${key}`, 'unknown setting (known: onAmbiguous)');
    }
    const value = (entry as { onAmbiguous?: unknown }).onAmbiguous;
    if (value === undefined) continue;
    if (typeof value !== 'string' || !(ON_AMBIGUOUS as readonly string[]).includes(value)) {
      throw new OutboundConfigError(`${path}.onAmbiguous`, `must be one of ${ON_AMBIGUOUS.join(', ')}, got ${JSON.stringify(value)}`);
    }
    if (value === 'retry' && !can.deduplicates) {
      throw new OutboundConfigError(
        `${path}.onAmbiguous`,
        `'retry' could post twice: ${platform} does not deduplicate repeated requests (choose ${can.reconciles ? 'reconcile or ' : ''}hold)`,
      );
    }
    if (value === 'reconcile' && !can.reconciles) {
      throw new OutboundConfigError(
        `${path}.onAmbiguous`,
        `'reconcile' needs a read API Foghorn can ask; ${platform} has none in Foghorn (choose ${can.deduplicates ? 'retry or ' : ''}hold)`,
      );
    }
    policies.set(platform, value as OnAmbiguous);
  }
  return policies;
}
