import type { ActionCommand } from '../core/action-command.js';
import { containsPhrase, type PhraseTokens, phraseTokens, textTokens } from '../text/index.js';

export interface OutgoingGuardOptions {
  /** Phrases that must never go out without a human: matched as whole words on normalised text, in any script. */
  sensitiveTerms: readonly string[];
  /**
   * Accounts never answered automatically: `<platform>:<author id>`, `<platform>:@<handle>`, or
   * `@<handle>` on every platform.
   */
  doNotEngage: readonly string[];
}

/** A hold says why in words (`reason`) and as data: which check (`code`) and what it found (the term, the recipient). */
export type GuardVerdict = { hold: false } | { hold: true; reason: string; code: GuardCode; detail: string };

/** Which check of the act stage held a reply or post: the outgoing guard's two, and the length guard (app/length-guard.ts). */
export type GuardCode = 'sensitiveTerm' | 'doNotEngage' | 'tooLong';

/**
 * Holds any outgoing text that contains a sensitive term or that would go to a do-not-engage account,
 * whatever rule produced it. Terms are normalised once, when the guard is built.
 */
export function outgoingGuard(options: OutgoingGuardOptions): (command: ActionCommand) => GuardVerdict {
  const terms: Array<{ term: string; tokens: PhraseTokens }> = options.sensitiveTerms
    .map((term) => ({ term, tokens: phraseTokens(term) }))
    .filter((entry) => entry.tokens.length > 0);
  const accounts = new Set(options.doNotEngage.map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== ''));

  return (command) => {
    const author = command.event.author;
    if (command.type === 'reply' && accounts.size > 0) {
      const platform = command.event.platform.toLowerCase();
      const handle = author.handle?.replace(/^@/, '').toLowerCase();
      const candidates = [`${platform}:${author.id.toLowerCase()}`, ...(handle ? [`${platform}:@${handle}`, `@${handle}`] : [])];
      const listed = candidates.find((candidate) => accounts.has(candidate));
      if (listed)
        return { hold: true, reason: `the recipient ${listed} is on the do-not-engage list`, code: 'doNotEngage', detail: listed };
    }
    const text = command.params.text;
    if (typeof text === 'string' && terms.length > 0) {
      const tokens = textTokens(text);
      const hit = terms.find((entry) => containsPhrase(tokens, entry.tokens));
      if (hit) return { hold: true, reason: `the text contains the sensitive term "${hit.term}"`, code: 'sensitiveTerm', detail: hit.term };
    }
    return { hold: false };
  };
}
