/**
 * What the stores' listings answer the local API and the console by, the same on every store (core/api-query.ts
 * builds them from a request). Times are ISO: `since` inclusive, `until` exclusive.
 */

/** The events listing: by the time each event was received. */
export interface EventListing {
  limit: number;
  cursor?: string;
  platform?: string;
  kind?: string;
  status?: string;
  since?: string;
  until?: string;
  fingerprint?: string;
}

/** The actions listing: by the time of each action's first claim. */
export interface ActionListing {
  limit: number;
  cursor?: string;
  platform?: string;
  status?: string;
  rule?: string;
  type?: string;
  since?: string;
  until?: string;
  fingerprint?: string;
}

/** A signed payload that could not be normalised, as the quarantine listing shows it. */
export interface QuarantineEntry {
  id: string;
  platform: string;
  reason: string;
  detail?: string;
  rawRef: string;
  receivedAt: string;
}
