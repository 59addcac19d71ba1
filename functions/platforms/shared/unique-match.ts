import type { Reconciliation } from '../../core/connector.js';

/**
 * The verdict of a read API search by content (no platform field carries Foghorn's command id): one match is
 * the command's message; none is not found; two or more cannot be told apart, so this throws and the action is
 * held as `unknown` for a person rather than settled by a guess.
 */
export function uniqueMatch(ids: readonly string[], where: string): Reconciliation {
  if (ids.length === 0) return { found: false };
  if (ids.length === 1) return { found: true, externalId: ids[0] as string };
  throw new Error(`${where}: ${ids.length} messages match (${ids.join(', ')}), so which one is this command's cannot be told`);
}

/** How many pages a reconciliation reads before giving up: the message, when sent, is among the newest. */
export const RECONCILE_MAX_PAGES = 5;

/** How far before the command was decided a read looks (the platform's clock and ours differ a little). */
export const RECONCILE_MARGIN_MS = 60_000;

/** Texts compared as a platform shows them back: line endings, surrounding and repeated spaces, Unicode form. */
export function comparableText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+/g, ' ')
    .trim();
}
