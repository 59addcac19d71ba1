import { lineLocator } from '../auth/console-config.js';
import type { FoghornConfig } from '../rules/config.js';
import { PostInputError } from './errors.js';

/** Where a channel of the team config posts: a platform that can post, and its channel id there. */
export interface PostChannel {
  platform: string;
  /** Absent: the platform's default channel setting (FOGHORN_TELEGRAM_CHANNEL, …). */
  id?: string;
}

/**
 * A channel NAME of foghorn.config.yaml's `channels:` (the section rule `post` actions name too), resolved to its
 * platform and id. The section's entries were checked at load (posts/rule-language.ts); a scheduled post also needs
 * the platform, which a rule's post may leave to the event it answers.
 */
export function resolvePostChannel(channels: FoghornConfig['channels'], name: string, platforms?: PostingPlatforms): PostChannel {
  const declared = Object.keys(channels);
  if (!(name in channels))
    throw new PostInputError(
      `unknown channel '${name}' (${declared.length > 0 ? `declared under channels: ${declared.join(', ')}` : 'foghorn.config.yaml declares no channels:'})`,
      { field: 'channel', known: declared },
    );
  const entry = channels[name];
  if (!entry?.platform)
    throw new PostInputError(
      `channel '${name}' names no platform (channels.${name}.platform in foghorn.config.yaml): a scheduled post needs one`,
      {
        field: 'channel',
      },
    );
  if (platforms && !platforms(entry.platform)?.actionTypes.includes('post'))
    throw new PostInputError(
      `channel '${name}' is on ${entry.platform}, where Foghorn cannot post (it can: ${platforms(entry.platform)?.actionTypes.join(', ') ?? 'nothing'})`,
      {
        field: 'channel',
      },
    );
  return { platform: entry.platform, ...(entry.id ? { id: entry.id } : {}) };
}

/** What each platform can do (a connector's actions): a scheduled post needs `post`. */
export type PostingPlatforms = (platform: string) => { actionTypes: readonly string[] } | undefined;

/**
 * Checks `channels:` of foghorn.config.yaml when it loads: a channel's `platform` and `id`, when given, are non-empty
 * strings; every problem at once, each with the file and its line, so a typo fails at start, not at the minute a post
 * was due. Whether the platform can post is asked when a post is scheduled: a rule may name a channel only for the
 * limits of a platform that never posts (WhatsApp), or of a platform its tests make up.
 */
export function checkPostChannels(value: unknown, source: string): void {
  if (value === undefined || value === null) return;
  const problems: Array<{ path: string[]; message: string }> = [];
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    if (entry === null || entry === undefined) continue;
    for (const field of ['platform', 'id'] as const) {
      const given = (entry as Record<string, unknown>)[field];
      if (given !== undefined && (typeof given !== 'string' || given.trim() === ''))
        problems.push({
          path: ['channels', name, field],
          message:
            field === 'platform' ? 'must be a platform name such as telegram or x' : 'must be the platform channel id, a non-empty string',
        });
    }
  }
  if (problems.length === 0) return;
  const lineOf = lineLocator(source);
  const lines = problems.map(({ path, message }) => {
    const line = lineOf(path);
    return `  ${source}${line > 0 ? `:${line}` : ''}: ${path.join('.')}: ${message}`;
  });
  throw new PostInputError(`${source}: invalid channels section:\n${lines.join('\n')}`, { problems });
}
