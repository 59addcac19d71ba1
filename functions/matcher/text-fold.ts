import {
  beforeFolding,
  capText,
  DEFAULT_COMPOUND_FORMS,
  hasProclitic,
  JOINED_WORDS,
  MAX_PREFIX_LENGTH,
  type NormaliseOptions,
  normaliseText,
  PREFIX_LETTERS,
  spellingsOf,
} from '../text/index.js';

/**
 * A cheap, sound stand-in for the rules module's text analysis, used only to skip it: the text is
 * composed (NFKC, as normaliseText starts), each code point replaced by what normaliseText makes of
 * it alone with everything but letters, digits and emoji dropped, then decomposed and mapped again
 * so composed and spelled-out letters agree (all cached per code point). Every step normaliseText
 * takes that depends on context either composes or strips marks (undone here and dropped), removes
 * invisible characters, punctuation or spaces (dropped here too) or changes a letter to one the
 * per-character mapping reaches as well (final sigma). So when tokens occur consecutively in a text's tokens,
 * their fold occurs in the text's fold, starting where a token may start and ending where one may
 * end (START/END flags: after or before something dropped, at emoji and at letters of scripts
 * written without spaces). test/matcher/text-fold.test.ts checks this on generated text in every script
 * Foghorn serves. The converse does not hold, and is not needed.
 *
 * The matching layer: the Persian spacing rewrites that come before normalisation run on the fold's
 * text too (persian-spacing.ts beforeFolding), so they never hide a match. Arabic and Hebrew
 * prefixes (clitics.ts) are not stripped: a word may also start (AFTER_PREFIX) after a run of
 * prefix letters at a token's start, and a phrase that starts with an article is looked for without
 * the article's first letter, which a preposition may swallow (للناس). A hit there is only MAYBE.
 * Informal spellings: a phrase is looked for under each spelling of its words (spellings()).
 *
 * Deciding, not only skipping: where the fold is exact (FoldedText.exact), or exact but for some chunks
 * (FoldedText.chunked), findPhrase answers PRESENT for a plain phrase, so the text analysis runs only for what
 * the fold leaves open. test/matcher/fold-decision.test.ts holds every verdict to the token path.
 *
 * Cost: one pass over the composed post, two typed-table reads per code unit (a code point's fold is learned on
 * first sight), and one buffer cut from a shared slab: about 4 µs for a post of 20 words, most of it the pass.
 */
export interface FoldedText {
  /** The fold, as UTF-16 code units (the first `length` of them). */
  units: Uint16Array;
  length: number;
  /** Per unit: START when a token may start there, END when one may end there. */
  flags: Uint8Array;
  /**
   * The fold is the text's tokens exactly: START and END mark where each token starts and ends and
   * nowhere else, and the units between are the token as normaliseText makes it. True when every
   * character is a plain letter or digit (its fold is what normaliseText makes of it, nothing is
   * dropped, it joins words) or a plain separator (ASCII whitespace, . , ! ? ; - ( ) ؟ ، ؛), and no
   * token is one normaliseText treats by context (the Persian affixes it joins, `www` before a dot
   * that starts a URL). A # counts as a separator: a hashtag is matched as its word (tokenMatches), unless
   * a dot continues the tag or the word is an informal spelling (read as it is in a hashtag). Then a phrase of plain tokens occurs in the tokens exactly when its units
   * occur in the fold with token boundaries where the phrase has them (findPhrase).
   */
  exact: boolean;
  /**
   * Exact but for the chunks (text between ASCII spaces) whose units are flagged INEXACT: a plain phrase occurs in
   * the tokens when its units occur as findPhrase asks, none of them INEXACT and none but the first after a GAP
   * (an empty chunk may hold a token the fold does not see, a lone mark). Tokens never span a space, so a chunk's
   * tokens are what its own characters make of them; but normaliseText joins a Persian affix or compound word to
   * its neighbour across one (joinAffixes), so the nearest chunk with units on each side of an inexact one that
   * has Arabic-script letters is inexact too (an emoji, a handle, a URL or a Latin tag is joined to nothing). A joined word the fold can read already makes the whole fold inexact (contextual tokens, compounds).
   */
  chunked: boolean;
  /** The fold as a string, made on the first findPhrase (native indexOf is the fastest search). */
  string?: string;
}

/** A phrase to look for in a fold: its units, and where its tokens start when the phrase is plain. */
export interface FoldedPhrase {
  units: string;
  /** Offsets in `units` where the phrase's second, third... token starts; undefined when the phrase is not plain. */
  starts: readonly number[] | undefined;
  /**
   * How a post's word that is the phrase's first word behind prefix letters is judged: left to the tokens (undefined,
   * PREFIX_OPEN), refused (NO_PREFIX: the phrase opts out of prefixes), or by the clitic table (ANY_PREFIX). Only a
   * phrase's own spelling may be decided: another spelling's word is read as the formal word in the tokens.
   */
  prefixes?: PrefixRule;
}

/** FoldedPhrase.prefixes. */
export const PREFIX_OPEN = 0;
export const NO_PREFIX = 1;
export const ANY_PREFIX = 2;
export type PrefixRule = typeof PREFIX_OPEN | typeof NO_PREFIX | typeof ANY_PREFIX;

/** findPhrase: no occurrence (the phrase is not in the text's tokens); in the tokens for certain; perhaps. */
export const ABSENT = 0;
export const PRESENT = 1;
export const MAYBE = 2;
export type PhraseVerdict = typeof ABSENT | typeof PRESENT | typeof MAYBE;

/**
 * Whether the phrase occurs in the text's tokens, as far as the fold can tell: never wrong about
 * ABSENT (the fold is sound), PRESENT only on an exact fold and a plain phrase.
 */
export function findPhrase(folded: FoldedText, phrase: FoldedPhrase): PhraseVerdict {
  const needle = phrase.units;
  const size = needle.length;
  if (size === 0) return MAYBE;
  const flags = folded.flags;
  const text = (folded.string ??= unitsToString(folded.units, folded.length));
  let verdict: PhraseVerdict = ABSENT;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (((flags[at] as number) & (START | AFTER_PREFIX)) === 0 || ((flags[at + size - 1] as number) & END) === 0) continue;
    const found = occurrenceVerdict(folded, at, size, phrase.starts, phrase.prefixes);
    if (found === PRESENT) return PRESENT;
    if (found === MAYBE) verdict = MAYBE;
  }
  return verdict;
}

/**
 * What one occurrence of a phrase's units at [at, at + size), starting where a token may and ending where one may
 * end, says: PRESENT when the fold shows the phrase's tokens there exactly, ABSENT when it shows they are not there,
 * MAYBE when only the tokens can tell. A phrase is PRESENT when one occurrence is, else MAYBE when one is.
 * `starts`: the phrase's token starts (FoldedPhrase.starts); undefined when it is not plain. `prefixes`: how an
 * occurrence behind prefix letters is judged (FoldedPhrase.prefixes).
 */
export function occurrenceVerdict(
  folded: FoldedText,
  at: number,
  size: number,
  starts: readonly number[] | undefined,
  prefixes: PrefixRule = PREFIX_OPEN,
): PhraseVerdict {
  const flags = folded.flags;
  if (!(folded.exact || folded.chunked) || starts === undefined) return MAYBE;
  const atStart = ((flags[at] as number) & START) !== 0;
  if (!atStart && prefixes === PREFIX_OPEN) return MAYBE;
  if (!folded.exact && !inExactChunks(flags, at, size)) return inTag(flags, at, size) ? ABSENT : MAYBE;
  if (!tokensAlign(flags, at, size, starts)) return ABSENT;
  return atStart ? PRESENT : prefixedVerdict(folded, at, starts.length > 0 ? (starts[0] as number) : size, prefixes);
}

/**
 * An aligned occurrence whose first word starts behind prefix letters, on an exact fold: the post's word is the units
 * from its token's start to the end of the phrase's first word, and containsPhrase takes it when the clitic table
 * does (hasProclitic). Left open when the fold's units may not be the word the tokens hold (PREFIX_UNSURE).
 */
function prefixedVerdict(folded: FoldedText, at: number, firstSize: number, prefixes: PrefixRule): PhraseVerdict {
  const { flags, units } = folded;
  // AFTER_PREFIX is set only within MAX_PREFIX_LENGTH units of the token's start, so this walk is short.
  let start = at - 1;
  while (((flags[start] as number) & START) === 0) start--;
  if (((flags[start] as number) & PREFIX_UNSURE) !== 0) return MAYBE;
  if (prefixes === NO_PREFIX) return ABSENT;
  const end = at + firstSize;
  return hasProclitic(shortString(units, at, end), shortString(units, start, end)) ? PRESENT : ABSENT;
}

/** units[start..end) as a string, for a word: a native decode costs more than this loop on a few units. */
function shortString(units: Uint16Array, start: number, end: number): string {
  let text = '';
  for (let k = start; k < end; k++) text += String.fromCharCode(units[k] as number);
  return text;
}

/** On a chunked fold: none of the units [at, at + size) is INEXACT, and none but the first follows a GAP. */
function inExactChunks(flags: Uint8Array, at: number, size: number): boolean {
  if (((flags[at] as number) & INEXACT) !== 0) return false;
  for (let k = 1; k < size; k++) if (((flags[at + k] as number) & (INEXACT | GAP)) !== 0) return false;
  return true;
}

/** One of the units [at, at + size) is IN_TAG. */
function inTag(flags: Uint8Array, at: number, size: number): boolean {
  for (let k = 0; k < size; k++) if (((flags[at + k] as number) & IN_TAG) !== 0) return true;
  return false;
}

/** The fold's units hold whole code points only (a lone surrogate folds to nothing), so decoding them changes none. */
const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });

function unitsToString(units: Uint16Array, length: number): string {
  // A native decode: spreading the units into String.fromCharCode cost about 4 µs a post.
  return UTF16.decode(units.subarray(0, length));
}

/** On an exact fold: the tokens inside [at, at + size) start exactly at the phrase's token starts. */
function tokensAlign(flags: Uint8Array, at: number, size: number, starts: readonly number[]): boolean {
  let next = 0;
  for (let k = 1; k < size; k++) {
    const isStart = ((flags[at + k] as number) & START) !== 0;
    if (isStart !== (starts[next] === k)) return false;
    if (isStart) next++;
  }
  return next === starts.length;
}

export const START = 1;
export const END = 2;
/** A word may start here behind Arabic or Hebrew prefix letters (only with clitics on). */
export const AFTER_PREFIX = 4;
/** Either: where the index and findPhrase may start a phrase. */
export const MAY_START = START | AFTER_PREFIX;
/** In a chunk (text between ASCII spaces) whose tokens the fold may not show exactly (FoldedText.chunked). */
export const INEXACT = 8;
/** After such a chunk: a phrase's token that starts here may not follow the one before it. */
export const GAP = 16;
/**
 * On a token's first unit: the token may not be its units in the tokens, so a word behind prefix letters is left to
 * them: a # came before it (a hashtag's token keeps its #), or it is an informal spelling (read as its formal word).
 */
export const PREFIX_UNSURE = 32;
/**
 * In a chunk that is one hashtag with an underscore ("#order_desk", no Arabic-script letter): its one token holds the
 * underscore, so no plain phrase's token is it, and an occurrence with a unit here is ABSENT (chunkIsOneTag).
 */
export const IN_TAG = 64;

export interface TextFold {
  /** The fold of a phrase (its tokens joined by spaces): what to look for. */
  phrase(text: string): string;
  /**
   * A phrase's tokens (as phraseTokens makes them) ready for findPhrase. `symbols` are the tokens
   * as the index looks for them (a hashtag's word), used when the phrase is not plain.
   */
  foldedPhrase(tokens: readonly string[], symbols: readonly string[]): FoldedPhrase;
  /** The fold of a text, with where tokens may start and end. */
  text(text: string): FoldedText;
  /**
   * A phrase's tokens and their other spellings (informal forms): the phrase matches a text only
   * if one of them occurs in its fold. The phrase itself first; at most MAX_SPELLINGS.
   */
  spellings(tokens: readonly string[]): ReadonlyArray<readonly string[]>;
}

const MAX_SPELLINGS = 16;
/** The token starts of every one-token phrase (FoldedPhrase.starts). */
export const NO_STARTS: readonly number[] = Object.freeze([]);

// Not regional indicators: a lone one is no token, so keeping it could separate adjacent tokens.
const KEPT = /[\p{L}\p{N}\p{Extended_Pictographic}]/u;
/**
 * Letters of scripts written with spaces, and common digits: runs of them form one token. Anything
 * else kept (emoji, Han, Thai, Myanmar digits, scripts not listed) may be a token of its own, so it
 * is a boundary on both sides.
 */
const JOINS_WORDS = new RegExp(
  String.raw`^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Armenian}\p{Script=Georgian}[\p{Nd}&&\p{Script=Common}]]$`,
  'v',
);

interface CodePointFold {
  text: string;
  /** Every unit of `text` may start and end a token (a boundary code point). */
  boundary: boolean;
  /** A plain letter or digit (its fold is its normalised form, it joins words) or a plain separator (see FoldedText.exact). */
  plain: boolean;
}

/** The hot table's bits (textFold's basicInfo): known, plain, boundary, and the fold's size as none, one unit, or more. */
const INFO_KNOWN = 1;
const INFO_PLAIN = 2;
const INFO_BOUNDARY = 4;
const INFO_SIZE = 3 << 3;
const INFO_ONE = 1 << 3;

const HASH = 0x23;
const CONTEXTUAL_FIRST = 1;
const COMPOUND_FIRST = 2;
const INFORMAL_FIRST = 4;
const DOT = 0x2e;
const UNDERSCORE = 0x5f;

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

const PLAIN_SEPARATORS = new Set([...' \t\n\r.,!?;-()\u061F\u060C\u061B'].map((char) => char.codePointAt(0) as number));
export function textFold(options: NormaliseOptions): TextFold {
  const clitics = options.clitics !== false;
  const contextualByFirst = contextualTokens();
  // A hashtag is matched as its word (tokenMatches), unless the word is an informal spelling: matchingTokens reads
  // "#word" as it is, but "word" as its formal form. With a table key written with the #, no hashtag is plain.
  const informalByFirst = tokensByFirstUnit(options.informal?.keys() ?? []);
  const plainHashtags = ![...(options.informal?.keys() ?? [])].some((key) => key.startsWith('#'));
  // normaliseText joins words across a space only where Arabic-script letters meet it (affixes, preverbs, the default
  // compounds): a chunk without one is joined to nothing, unless a team's compound has other letters.
  const joinsOnlyArabic = (options.compounds ?? DEFAULT_COMPOUND_FORMS).every((compound) => ONLY_ARABIC_OR_SPACE.test(compound));
  const prefixLetter = new Uint8Array(0x10000);
  if (clitics) for (const letter of PREFIX_LETTERS) prefixLetter[letter.charCodeAt(0)] = 1;
  // Basic Multilingual Plane in an array (a hot lookup for every character of every post), the rest in a map.
  const basic: Array<CodePointFold | undefined> = new Array(0x10000);
  const astral = new Map<number, CodePointFold>();
  // What normaliseText makes of one character, keeping only what tokens are made of.
  const keptOf = (char: string): { kept: string; dropped: boolean } => {
    let kept = '';
    let dropped = false;
    for (const part of normaliseText(char, options)) {
      if (KEPT.test(part)) kept += part;
      else dropped = true;
    }
    return { kept, dropped };
  };
  const compute = (code: number): CodePointFold => {
    const whole = keptOf(String.fromCodePoint(code));
    // Decomposed and mapped again, so a composed letter and its base + mark spelling agree (ئ / ي + ٔ).
    let text = '';
    let joins = true;
    for (const char of whole.kept.normalize('NFKD')) {
      const { kept } = keptOf(char);
      text += kept;
      for (const part of kept) if (!JOINS_WORDS.test(part)) joins = false;
    }
    const boundary = text !== '' && (whole.dropped || !joins);
    const plain =
      text === ''
        ? PLAIN_SEPARATORS.has(code)
        : !boundary && text === whole.kept && text === normaliseText(String.fromCodePoint(code), options);
    return { text, boundary, plain };
  };
  const foldOf = (code: number): CodePointFold => {
    if (code < 0x10000) return (basic[code] ??= compute(code));
    let folded = astral.get(code);
    if (folded === undefined) astral.set(code, (folded = compute(code)));
    return folded;
  };

  const phrase = (input: string): string => {
    let out = '';
    for (const char of input.normalize('NFKC')) out += foldOf(char.codePointAt(0) as number).text;
    return clitics ? withoutElidable(out) : out;
  };

  const plainPhrase = (tokens: readonly string[]): boolean =>
    tokens.length > 0 &&
    !(clitics && withoutElidable(tokens[0] as string) !== tokens[0]) &&
    tokens.every((token) => {
      if (token === '' || isContextual(contextualByFirst, token)) return false;
      for (const char of token) {
        const folded = foldOf(char.codePointAt(0) as number);
        if (!folded.plain || folded.text !== char) return false;
      }
      return true;
    });

  const foldedPhrase = (tokens: readonly string[], symbols: readonly string[]): FoldedPhrase => {
    if (!plainPhrase(tokens)) return { units: phrase(symbols.join(' ')), starts: undefined };
    // One empty list for every one-token phrase: at thousands of rules each list of its own is one more object to reach.
    if (tokens.length === 1) return { units: tokens[0] as string, starts: NO_STARTS };
    const starts: number[] = [];
    let length = 0;
    for (const token of tokens) {
      if (length !== 0) starts.push(length);
      length += token.length;
    }
    // join makes one flat string, where += would make a rope for the first indexOf to flatten.
    return { units: tokens.join(''), starts };
  };

  // The hot table: per BMP code unit, its fold's size, boundary and plain bits (0: not yet known), and the unit
  // itself when the fold is one unit, so the loop below reads two typed arrays instead of an object per character.
  const basicInfo = new Uint8Array(0x10000);
  const basicUnit = new Uint16Array(0x10000);
  const infoOf = (folded: CodePointFold): number =>
    INFO_KNOWN | (folded.plain ? INFO_PLAIN : 0) | (folded.boundary ? INFO_BOUNDARY : 0) | (Math.min(folded.text.length, 2) << 3);
  const learn = (code: number): number => {
    const folded = foldOf(code);
    const info = infoOf(folded);
    if (folded.text.length === 1) basicUnit[code] = folded.text.charCodeAt(0);
    basicInfo[code] = info;
    return info;
  };

  /**
   * Whether normaliseText may join an inexact chunk to the chunk beside it, so that the neighbour's tokens are not the
   * fold's: when the chunk has Arabic-script letters, or no units (it may vanish, and its neighbours meet), or a
   * compound has other letters. An emoji, a handle, a URL or a Latin tag joins nothing.
   */
  const mayJoin = (arabic: boolean, hasUnits: boolean): boolean => arabic || !hasUnits || !joinsOnlyArabic;

  const slabs = new Slabs();
  const text = (input: string): FoldedText => {
    const capped = capText(input);
    // Composed as normaliseText composes it (ASCII is its own NFKC).
    const composed = ASCII_ONLY.test(capped) ? capped : beforeFolding(capped.normalize('NFKC'));
    // A code point folds to at most a few units; grow if a long compatibility expansion needs more.
    const capacity = composed.length + 16;
    const at = slabs.take(capacity * 3);
    let units = new Uint16Array(slabs.slab, at, capacity);
    let flags = new Uint8Array(slabs.slab, at + capacity * 2, capacity);
    let length = 0;
    let startPending = true;
    // No token normaliseText treats by context, no compound written apart (see FoldedText.exact).
    let contextFree = true;
    // Every character plain so far in the chunk being read (the text between ASCII spaces), and in all chunks before.
    let chunkPlain = true;
    // The chunk being read has an Arabic-script character: normaliseText may join it to a neighbour.
    let chunkArabic = false;
    // The chunk may be one hashtag with an underscore (IN_TAG): where it starts in `composed`, every character after
    // its first a plain letter or digit of one unit or an underscore so far, and an underscore seen.
    let chunkFirst = 0;
    let tagLike = true;
    let underscore = false;
    let allPlain = true;
    let chunkStart = 0;
    // The last chunk with units, and whether the next one is beside an inexact chunk (see FoldedText.chunked).
    let previousChunkStart = 0;
    let previousChunkEnd = 0;
    let besideInexact = false;
    // The next unit follows an inexact chunk: GAP.
    let gap = false;
    let tokenStart = 0;
    // Units since the token's start that are all prefix letters (clitics only).
    let prefixRun = 0;
    // Where the token before this one started (it ends at tokenStart), -1 when none: compounds join two.
    let previousStart = -1;
    // The token being read follows a # (a hashtag, or a word after a # that is no tag's: either matches as the word).
    let inHashtag = false;
    // A # was dropped since the last token started: the next token's first unit is PREFIX_UNSURE.
    let hashSeen = false;
    for (let i = 0; i < composed.length; i++) {
      let code = composed.charCodeAt(i);
      if (code >= 0x0600 && code <= 0xfeff && !chunkArabic) chunkArabic = arabicScript(code);
      // The fold's units: `single` when it is one unit, else `many` (astral code points, expansions).
      let info: number;
      let single = 0;
      let many = '';
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < composed.length && isLowSurrogate(composed.charCodeAt(i + 1))) {
        code = ((code - 0xd800) << 10) + (composed.charCodeAt(i + 1) - 0xdc00) + 0x10000;
        i++;
        const folded = foldOf(code);
        info = infoOf(folded);
        many = folded.text;
      } else {
        info = basicInfo[code] as number;
        if (info === 0) info = learn(code);
        if ((info & (INFO_SIZE | INFO_BOUNDARY)) === INFO_ONE) {
          // Most characters: one unit inside a token, written here; the general path below takes the rest.
          if ((info & INFO_PLAIN) === 0) {
            chunkPlain = false;
            tagLike = false;
          }
          const unit = basicUnit[code] as number;
          if (length + 1 > units.length) {
            units = grow(units, new Uint16Array(units.length * 2));
            flags = grow(flags, new Uint8Array(units.length));
          }
          if (startPending) {
            flags[length] = (gap ? START | GAP : START) | (hashSeen ? PREFIX_UNSURE : 0);
            gap = false;
            hashSeen = false;
            tokenStart = length;
            prefixRun = 0;
            startPending = false;
          } else if (clitics && prefixRun === length - tokenStart && prefixRun <= MAX_PREFIX_LENGTH) {
            flags[length] = (flags[length] as number) | AFTER_PREFIX;
          }
          if (prefixRun === length - tokenStart && prefixLetter[unit] === 1) prefixRun++;
          units[length++] = unit;
          continue;
        }
        if ((info & INFO_SIZE) === INFO_ONE) single = basicUnit[code] as number;
        else if ((info & INFO_SIZE) !== 0) many = foldOf(code).text;
      }
      if ((info & INFO_PLAIN) === 0 && !(code === HASH && plainHashtags)) chunkPlain = false;
      const size = (info & INFO_SIZE) === INFO_ONE && many === '' ? 1 : many.length;
      if (size === 0 || (info & INFO_BOUNDARY) !== 0) {
        // The token being read ends here.
        if (length > 0) flags[length - 1] = (flags[length - 1] as number) | END;
        if (contextFree && !startPending) {
          if (inexactToken(units, previousStart, tokenStart, length)) contextFree = false;
          // A dot may continue a tag ("#a.b" is one token); a hashtag keeps an informal spelling as it is.
          if (inHashtag && (code === DOT || informalWord(units, tokenStart, length))) chunkPlain = false;
          if (prefixRun > 0 && informalWord(units, tokenStart, length)) flags[tokenStart] = (flags[tokenStart] as number) | PREFIX_UNSURE;
          previousStart = tokenStart;
        }
        startPending = true;
      }
      if (size === 0) {
        inHashtag = code === HASH;
        if (inHashtag) hashSeen = true;
        if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
          if (!chunkPlain) {
            allPlain = false;
            gap = true;
            const joins = mayJoin(chunkArabic, length > chunkStart);
            if (joins) markInexact(flags, previousChunkStart, previousChunkEnd);
            markInexact(flags, chunkStart, length);
            if (!joins && tagLike && underscore && plainHashtags && composed.charCodeAt(chunkFirst) === HASH) {
              markInTag(flags, chunkStart, length);
            }
            besideInexact = joins;
          } else if (besideInexact && length > chunkStart) {
            markInexact(flags, chunkStart, length);
            besideInexact = false;
          }
          if (length > chunkStart) {
            previousChunkStart = chunkStart;
            previousChunkEnd = length;
          }
          chunkStart = length;
          chunkPlain = true;
          chunkArabic = false;
          chunkFirst = i + 1;
          tagLike = true;
          underscore = false;
          continue;
        }
        if (code === UNDERSCORE) underscore = true;
        else if (!(code === HASH && i === chunkFirst)) tagLike = false;
        continue;
      }
      tagLike = false;
      if (length + size > units.length) {
        units = grow(units, new Uint16Array(units.length * 2));
        flags = grow(flags, new Uint8Array(units.length));
      }
      if ((info & INFO_BOUNDARY) !== 0) {
        inHashtag = false;
        for (let k = 0; k < size; k++) {
          units[length] = many === '' ? single : many.charCodeAt(k);
          flags[length++] = START | END;
        }
        if (gap) {
          flags[length - size] = (flags[length - size] as number) | GAP;
          gap = false;
        }
      } else {
        if (startPending) {
          flags[length] = (gap ? START | GAP : START) | (hashSeen ? PREFIX_UNSURE : 0);
          gap = false;
          hashSeen = false;
          tokenStart = length;
          prefixRun = 0;
        }
        for (let k = 0; k < size; k++) {
          const unit = many === '' ? single : many.charCodeAt(k);
          if (clitics && prefixRun === length - tokenStart && length > tokenStart && prefixRun <= MAX_PREFIX_LENGTH) {
            flags[length] = (flags[length] as number) | AFTER_PREFIX;
          }
          if (prefixRun === length - tokenStart && prefixLetter[unit] === 1) prefixRun++;
          units[length++] = unit;
        }
        startPending = false;
      }
    }
    if (length > 0) flags[length - 1] = (flags[length - 1] as number) | END;
    if (contextFree && !startPending) {
      if (inexactToken(units, previousStart, tokenStart, length)) contextFree = false;
      if (inHashtag && informalWord(units, tokenStart, length)) chunkPlain = false;
      if (prefixRun > 0 && informalWord(units, tokenStart, length)) flags[tokenStart] = (flags[tokenStart] as number) | PREFIX_UNSURE;
    }
    if (!chunkPlain) {
      allPlain = false;
      const joins = mayJoin(chunkArabic, length > chunkStart);
      if (joins) markInexact(flags, previousChunkStart, previousChunkEnd);
      markInexact(flags, chunkStart, length);
      if (!joins && tagLike && underscore && plainHashtags && composed.charCodeAt(chunkFirst) === HASH)
        markInTag(flags, chunkStart, length);
    } else if (besideInexact) {
      markInexact(flags, chunkStart, length);
    }
    return { units, length, flags, exact: contextFree && allPlain, chunked: contextFree && !allPlain };
  };

  // Compounds written apart are joined into one token: two tokens that are consecutive words of one make the fold inexact.
  // Compared in place, by the token's first unit: this runs at the end of every token of every post.
  const pairsByFirst = compoundPairsByFirstUnit(compoundPairs(options));
  const joinsPrevious = (units: Uint16Array, previousStart: number, start: number, end: number): boolean => {
    if (previousStart < 0) return false;
    const candidates = pairsByFirst.get(units[start] as number);
    if (candidates === undefined) return false;
    for (const { second, firsts } of candidates) {
      if (!unitsEqual(units, start, end, second)) continue;
      for (const first of firsts) if (unitsEqual(units, previousStart, start, first)) return true;
    }
    return false;
  };

  // Which first units start a token that may make the fold inexact, so most tokens need no lookup.
  const firstUnits = new Uint8Array(0x10000);
  for (const unit of contextualByFirst.keys()) firstUnits[unit] = (firstUnits[unit] as number) | CONTEXTUAL_FIRST;
  for (const unit of pairsByFirst.keys()) firstUnits[unit] = (firstUnits[unit] as number) | COMPOUND_FIRST;
  for (const unit of informalByFirst.keys()) firstUnits[unit] = (firstUnits[unit] as number) | INFORMAL_FIRST;
  /** The token units[start..end) is one normaliseText treats by context, or a compound's word after the one before it. */
  const inexactToken = (units: Uint16Array, previousStart: number, start: number, end: number): boolean => {
    const first = firstUnits[units[start] as number] as number;
    if (first === 0) return false;
    return (
      ((first & CONTEXTUAL_FIRST) !== 0 && contextual(contextualByFirst, units, start, end)) ||
      ((first & COMPOUND_FIRST) !== 0 && joinsPrevious(units, previousStart, start, end))
    );
  };
  /** The token units[start..end) is an informal spelling (which a hashtag keeps as written). */
  const informalWord = (units: Uint16Array, start: number, end: number): boolean =>
    ((firstUnits[units[start] as number] as number) & INFORMAL_FIRST) !== 0 && contextual(informalByFirst, units, start, end);

  const informal = options.informal;
  const spellings = (tokens: readonly string[]): ReadonlyArray<readonly string[]> => {
    if (informal === undefined || informal.size === 0) return [tokens];
    let all: string[][] = [[]];
    for (const token of tokens) {
      const forms = spellingsOf(token, informal);
      all = all.flatMap((prefix) => forms.map((form) => [...prefix, form])).slice(0, MAX_SPELLINGS);
    }
    // The phrase's own tokens first, as the caller gave them.
    return [tokens, ...all.filter((candidate) => candidate.some((token, index) => token !== tokens[index]))];
  };

  return { phrase, foldedPhrase, text, spellings };
}

/**
 * A fold without the first letter of an article a preposition may swallow (ال in للناس, ה in בבית),
 * when enough is left to look for.
 */
function withoutElidable(folded: string): string {
  if (folded.length < 3) return folded;
  if (folded.startsWith('\u0627\u0644') || folded.charCodeAt(0) === 0x05d4) return folded.slice(1);
  return folded;
}

/** Consecutive words of the compounds: second word -> the words before it. */
function compoundPairs(options: NormaliseOptions): Map<string, Set<string>> {
  const pairs = new Map<string, Set<string>>();
  for (const compound of options.compounds ?? DEFAULT_COMPOUND_FORMS) {
    const words = compound.split(' ').filter((word) => word !== '');
    for (let i = 1; i < words.length; i++) {
      const second = words[i] as string;
      if (!pairs.has(second)) pairs.set(second, new Set());
      pairs.get(second)?.add(words[i - 1] as string);
    }
  }
  return pairs;
}

function compoundPairsByFirstUnit(pairs: Map<string, Set<string>>): Map<number, Array<{ second: string; firsts: string[] }>> {
  const byFirst = new Map<number, Array<{ second: string; firsts: string[] }>>();
  for (const [second, firsts] of pairs) {
    const unit = second.charCodeAt(0);
    byFirst.set(unit, [...(byFirst.get(unit) ?? []), { second, firsts: [...firsts] }]);
  }
  return byFirst;
}

/** units[start..end) is `word`. */
function unitsEqual(units: Uint16Array, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (units[start + k] !== word.charCodeAt(k)) return false;
  return true;
}

/** Tokens normaliseText joins to a neighbour (Persian affixes written apart) or reads as a URL's start, by first unit. */
function contextualTokens(): Map<number, string[]> {
  return tokensByFirstUnit(new Set<string>([...JOINED_WORDS, 'www']));
}

function tokensByFirstUnit(tokens: Iterable<string>): Map<number, string[]> {
  const byFirst = new Map<number, string[]>();
  for (const token of tokens) {
    const first = token.charCodeAt(0);
    byFirst.set(first, [...(byFirst.get(first) ?? []), token]);
  }
  return byFirst;
}

function isContextual(byFirst: Map<number, string[]>, token: string): boolean {
  return byFirst.get(token.charCodeAt(0))?.includes(token) === true;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const ONLY_ARABIC_OR_SPACE = /^[\u0600-\u08ff\ufb50-\ufeff ]*$/;

/** An Arabic-script character other than the punctuation and digits, which no join of normaliseText's starts or ends with. */
function arabicScript(code: number): boolean {
  if (code > 0x08ff) return code >= 0xfb50;
  return !(
    code === 0x060c ||
    code === 0x061b ||
    code === 0x061f ||
    code === 0x06d4 ||
    (code >= 0x0660 && code <= 0x066d) ||
    (code >= 0x06f0 && code <= 0x06f9)
  );
}

/** Whether the token units[start..end) is one normaliseText treats by context (contextualTokens). */
function contextual(byFirst: Map<number, string[]>, units: Uint16Array, start: number, end: number): boolean {
  const tokens = byFirst.get(units[start] as number);
  if (tokens === undefined) return false;
  for (const token of tokens) {
    if (token.length !== end - start) continue;
    let k = 1;
    while (k < token.length && token.charCodeAt(k) === units[start + k]) k++;
    if (k === token.length) return true;
  }
  return false;
}

/**
 * Flags units [start, end) IN_TAG: a chunk that is "#" then letters, digits and underscores, between ASCII spaces that
 * normaliseText joins nothing across, is one token (tokenize: a hashtag runs over [\p{L}\p{M}\p{N}_.] after a
 * character that is none of them).
 */
function markInTag(flags: Uint8Array, start: number, end: number): void {
  for (let k = start; k < end; k++) flags[k] = (flags[k] as number) | IN_TAG;
}

/** Flags units [start, end) INEXACT. */
function markInexact(flags: Uint8Array, start: number, end: number): void {
  for (let k = start; k < end; k++) flags[k] = (flags[k] as number) | INEXACT;
}

/**
 * Memory for folds, cut from large zeroed buffers one after the other and never handed out twice: a fold's
 * buffer is not reused while another event's fold may still hold it (match() awaits), and one ArrayBuffer per
 * post was the fold's largest cost. A buffer is freed with the last fold cut from it.
 */
class Slabs {
  private static readonly SIZE = 1 << 18;
  slab = new ArrayBuffer(Slabs.SIZE);
  private used = 0;

  /** The offset in `slab` (even) of `bytes` zeroed bytes no fold has been given. */
  take(bytes: number): number {
    if (this.used + bytes > this.slab.byteLength) {
      this.slab = new ArrayBuffer(Math.max(Slabs.SIZE, bytes));
      this.used = 0;
    }
    const at = this.used;
    this.used += (bytes + 1) & ~1;
    return at;
  }
}

function grow<T extends Uint8Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
