import type { TextCount } from '../text/index.js';

/**
 * How long a text each platform accepts, where, and how it counts: the one table the rule validator,
 * the render (overflow: truncate | split) and the act stage's length guard read. `threads`: a text
 * too long for one message can go out as several in the same conversation (Foghorn's connector for
 * the platform can say where the next part goes). Where a platform says "characters" without saying
 * which, UTF-16 code units are counted: never fewer than code points or graphemes, so a text that
 * fits here fits there. docs/delivery.md ("Length limits") lists the sources.
 */
export interface PlatformTextLimit {
  readonly platform: string;
  /** What is limited, for messages: "telegram", "X post", "Instagram comment". */
  readonly surface: string;
  readonly max: number;
  readonly counts: TextCount;
  readonly threads: boolean;
}

/** A reply to an event of this kind, or a post (`kind` is then ignored). */
export interface TextTarget {
  platform: string;
  action: string;
  /** The event's kind (dm, comment, …); undefined when not known, as when a rule is validated. */
  kind?: string;
}

type Surface = Omit<PlatformTextLimit, 'platform'>;

const X_POST: Surface = { surface: 'X post', max: 280, counts: 'x-weighted', threads: true };
const X_DM: Surface = { surface: 'X direct message', max: 10_000, counts: 'utf16', threads: true };
const MESSENGER: Surface = { surface: 'Messenger', max: 2_000, counts: 'utf16', threads: false };
const FACEBOOK_COMMENT: Surface = { surface: 'Facebook comment', max: 8_000, counts: 'utf16', threads: false };
const INSTAGRAM_DM: Surface = { surface: 'Instagram direct message', max: 1_000, counts: 'utf8', threads: false };
const INSTAGRAM_COMMENT: Surface = { surface: 'Instagram comment', max: 2_200, counts: 'utf16', threads: false };

/** Each platform's surfaces: the one for a reply to a DM, to anything else, and for a post (absent: not limited). */
const SURFACES: Readonly<Record<string, { dm?: Surface; reply?: Surface; post?: Surface }>> = {
  x: { dm: X_DM, reply: X_POST, post: X_POST },
  telegram: single({ surface: 'telegram', max: 4_096, counts: 'utf16', threads: true }),
  discord: single({ surface: 'discord', max: 2_000, counts: 'utf16', threads: true }),
  slack: single({ surface: 'slack', max: 40_000, counts: 'utf16', threads: true }),
  whatsapp: single({ surface: 'whatsapp', max: 4_096, counts: 'utf16', threads: false }),
  // A Page post (`/{page-id}/feed`) has no documented limit: not checked.
  facebook: { dm: MESSENGER, reply: FACEBOOK_COMMENT },
  instagram: { dm: INSTAGRAM_DM, reply: INSTAGRAM_COMMENT },
  vk: single({ surface: 'vk', max: 4_096, counts: 'utf16', threads: false }),
  reddit: single({ surface: 'reddit', max: 10_000, counts: 'utf16', threads: false }),
  // app.bsky.feed.post `text`: maxGraphemes 300 (and 3,000 bytes, which 300 graphemes of text stay under).
  bluesky: { reply: { surface: 'Bluesky post', max: 300, counts: 'graphemes', threads: false } },
  // mastodon.social's default; an instance may allow more, never less than this in practice.
  mastodon: { reply: { surface: 'Mastodon status', max: 500, counts: 'utf16', threads: false } },
  youtube: { reply: { surface: 'YouTube comment', max: 10_000, counts: 'utf16', threads: false } },
  linkedin: { reply: { surface: 'LinkedIn comment', max: 1_250, counts: 'utf16', threads: false } },
};

function single(surface: Surface): { dm: Surface; reply: Surface; post: Surface } {
  return { dm: surface, reply: surface, post: surface };
}

/**
 * The limit a text sent to `target` must keep, or undefined where none is known (the generic
 * platform, a Facebook Page post). A reply whose event kind is unknown gets the most lenient of the
 * platform's reply limits: a text over it is too long wherever the reply goes.
 */
export function platformTextLimit(target: TextTarget): PlatformTextLimit | undefined {
  const surfaces = SURFACES[target.platform];
  if (!surfaces || (target.action !== 'reply' && target.action !== 'post')) return undefined;
  let surface: Surface | undefined;
  if (target.action === 'post') surface = surfaces.post;
  else if (target.kind === 'dm') surface = surfaces.dm ?? surfaces.reply;
  else if (target.kind !== undefined) surface = surfaces.reply;
  else surface = [surfaces.dm, surfaces.reply].filter((one) => one !== undefined).sort(byLeniency)[0];
  return surface ? { platform: target.platform, ...surface } : undefined;
}

/** The larger limit first. */
function byLeniency(a: Surface, b: Surface): number {
  return b.max - a.max;
}

/** Every platform with a limit, for the docs and tests. */
export function limitedPlatforms(): string[] {
  return Object.keys(SURFACES);
}

/**
 * What each platform can do about a reply or post whose outcome is unknown (the team config's `outbound:`
 * choices): deduplicate a repeated request, or be asked what went out (reconcile). The connectors say the same
 * by their `deduplication` and `reconcile` (test/platforms/limits.test.ts keeps the two alike); this table lets
 * the rule language check the config without loading every connector and its normaliser.
 */
const OUTCOMES: Readonly<Record<string, { deduplicates: boolean; reconciles: boolean }>> = {
  bluesky: { deduplicates: false, reconciles: false },
  discord: { deduplicates: true, reconciles: false },
  facebook: { deduplicates: false, reconciles: true },
  generic: { deduplicates: true, reconciles: false },
  instagram: { deduplicates: false, reconciles: true },
  linkedin: { deduplicates: false, reconciles: true },
  mastodon: { deduplicates: true, reconciles: false },
  reddit: { deduplicates: false, reconciles: false },
  slack: { deduplicates: false, reconciles: true },
  telegram: { deduplicates: false, reconciles: false },
  vk: { deduplicates: true, reconciles: false },
  whatsapp: { deduplicates: false, reconciles: false },
  x: { deduplicates: false, reconciles: true },
  youtube: { deduplicates: false, reconciles: false },
};

/** A platform's outcome capabilities, or undefined for a platform Foghorn has no connector for. */
export function platformOutcomes(platform: string): { readonly deduplicates: boolean; readonly reconciles: boolean } | undefined {
  return Object.hasOwn(OUTCOMES, platform) ? OUTCOMES[platform] : undefined;
}

/** Every platform in the outcome table. */
export function platformsWithOutcomes(): string[] {
  return Object.keys(OUTCOMES);
}
