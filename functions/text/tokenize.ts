/**
 * Splits normalised text into the tokens that phrases are matched against. A token is one of:
 * a URL, a #hashtag, an @handle, an emoji (sequence), one character of a script written without
 * spaces (Han, kana, Thai, Lao, Khmer, Myanmar), or a run of letters, marks and digits.
 * Everything else (spaces, punctuation, symbols) separates tokens, so "hours😀" still holds "hours".
 */

const NO_SPACE_SCRIPTS = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}`;
const WORD_CHAR = String.raw`[[\p{L}\p{M}\p{N}]--[${NO_SPACE_SCRIPTS}]]`;
const TAG_CHAR = String.raw`[\p{L}\p{M}\p{N}_]`;

// Order is priority: a URL swallows the words inside it; a hashtag or handle only starts after a
// non-word character (so e-mail addresses are not handles).
const TOKEN = new RegExp(
  [
    String.raw`(?<url>(?:https?://|www\.)[^\s<>"]+)`,
    String.raw`(?<tag>(?<![\p{L}\p{M}\p{N}_])[#@]${TAG_CHAR}(?:[\p{L}\p{M}\p{N}_.]*${TAG_CHAR})?)`,
    String.raw`(?<emoji>[\u{1F1E6}-\u{1F1FF}]{2}|\p{Extended_Pictographic}(?:\u200D\p{Extended_Pictographic})*)`,
    String.raw`(?<cluster>[${NO_SPACE_SCRIPTS}]\p{M}*)`,
    `(?<word>${WORD_CHAR}+)`,
  ].join('|'),
  'gv',
);

const URL_TRAILING_PUNCTUATION = /[.,!?;:)\]}'"»”’]+$/u;

/** Tokens of text that went through normaliseText, in order. */
export function tokenize(normalised: string): string[] {
  const tokens: string[] = [];
  for (const match of normalised.matchAll(TOKEN)) {
    const groups = match.groups!;
    if (groups.url !== undefined) {
      tokens.push(groups.url.replace(URL_TRAILING_PUNCTUATION, ''));
    } else {
      tokens.push(match[0]);
    }
  }
  return tokens;
}

/**
 * The forms under which a text token can be matched by a phrase token: a hashtag also stands for
 * its word ("#refund" is matched by "refund" and by "#refund"); an @handle only by itself.
 */
export function tokenKeys(token: string): readonly string[] {
  return token.length > 1 && token.startsWith('#') ? [token, token.slice(1)] : [token];
}

/** True when a phrase token matches a text token (see tokenKeys). */
export function tokenMatches(phraseToken: string, textToken: string): boolean {
  return phraseToken === textToken || (textToken.startsWith('#') && textToken.length > 1 && textToken.slice(1) === phraseToken);
}
