import { DURATION_MESSAGE, isDuration, parseDuration } from '../core/duration.js';
import { FoghornError } from '../core/errors.js';
import { suggestion } from '../rules/conditions.js';

/**
 * The `listen:` section of foghorn.config.yaml: the sources Foghorn polls for what people say about the brand
 * outside its own accounts (searches, hashtags, feeds).
 *
 *   listen:
 *     - { id: bsky-brand, type: bluesky-search, query: 'acme bank', every: 2m }
 *     - { id: forums, type: feed, urls: [https://forum.example/c/banks.rss], every: 10m, since: 1d }
 *
 * Every problem is reported at once with its path; the team config check (rule-language.ts) adds the file and
 * line. No YAML parser here: the poll stage reads the section on every run.
 */

/** What every source accepts, whatever its type. */
const COMMON_KEYS = ['id', 'type', 'every', 'since', 'alertAfter', 'escalate', 'baseUrl', 'self'] as const;

/** What one type of source needs beyond the common keys: which keys it accepts, and which it cannot do without. */
export interface ListenTypeSpec {
  readonly keys: readonly string[];
  /** At least one of each group must be present (`[['query']]`, `[['channels', 'videos']]`). */
  readonly required: readonly (readonly string[])[];
}

/** The types Foghorn can poll, each with its keys; a type not listed here is refused at validation. */
export const LISTEN_TYPES: Readonly<Record<string, ListenTypeSpec>> = {
  feed: { keys: ['urls'], required: [['urls']] },
  'bluesky-search': { keys: ['query', 'lang'], required: [['query']] },
  'x-search': { keys: ['query'], required: [['query']] },
  'reddit-search': { keys: ['query', 'subreddits'], required: [['query']] },
  mastodon: { keys: ['instance', 'query', 'hashtags'], required: [['instance'], ['query', 'hashtags']] },
  'youtube-comments': { keys: ['channels', 'videos'], required: [['channels', 'videos']] },
};

export const DEFAULT_SINCE = '1h';
/** Polling faster than this spends the platforms' quotas for nothing a team could act on. */
const MIN_EVERY_MS = 30_000;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface ListenSourceConfig {
  id: string;
  type: string;
  /** As written (`2m`), and in milliseconds. */
  every: string;
  everyMs: number;
  /** How far back the first poll reads (default 1h). */
  sinceMs: number;
  /** Consecutive failures after which `escalate` is told (absent: never escalated, still reported). */
  alertAfter?: number;
  escalate?: string;
  /** The API's base URL for this source (else FOGHORN_<TYPE>_BASE_URL, else the platform's). */
  baseUrl?: string;
  /** The brand's own accounts on this source (handles or ids): their items are `author.isSelf`. */
  self: string[];
  query?: string;
  lang?: string;
  urls?: string[];
  /** reddit-search: the subreddits searched one by one (restrict_sr); absent: all of Reddit. */
  subreddits?: string[];
  /** mastodon: the instance (https://mastodon.social) and the hashtags (without #) whose timelines are read. */
  instance?: string;
  hashtags?: string[];
  /** youtube-comments: channel ids (UC…) whose videos' threads are read, and single video ids. */
  channels?: string[];
  videos?: string[];
}

export interface ListenConfigProblem {
  path: string[];
  message: string;
}

export class ListenConfigError extends FoghornError {
  constructor(
    message: string,
    readonly problems: readonly ListenConfigProblem[],
  ) {
    super(message, { status: 400, detail: { problems } });
  }
}

/**
 * The listen section (absent: no sources); ListenConfigError lists every problem, naming the source and the field.
 * Given the names declared under `targets:`, each `escalate:` must be one of them; without them (a runtime re-reading a
 * config already checked) it is not judged.
 */
export function parseListenSection(value: unknown, source = 'foghorn.config.yaml', targets?: readonly string[]): ListenSourceConfig[] {
  if (value === undefined || value === null) return [];
  const problems: ListenConfigProblem[] = [];
  if (!Array.isArray(value)) {
    problems.push({
      path: ['listen'],
      message: 'must be a list of sources, such as - { id: forums, type: feed, urls: [...], every: 10m }',
    });
    throw new ListenConfigError(
      listenProblemText(source, problems, () => 0),
      problems,
    );
  }
  const sources: ListenSourceConfig[] = [];
  const seen = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const id = (entry as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && seen.has(id))
      problems.push({ path: ['listen', String(index), 'id'], message: `'${id}' is used by another source` });
    if (typeof id === 'string') seen.add(id);
    const parsed = parseSource(entry, ['listen', String(index)], problems, targets);
    if (parsed) sources.push(parsed);
  });
  if (problems.length > 0)
    throw new ListenConfigError(
      listenProblemText(source, problems, () => 0),
      problems,
    );
  return sources;
}

function parseSource(
  entry: unknown,
  path: string[],
  problems: ListenConfigProblem[],
  targets: readonly string[] | undefined,
): ListenSourceConfig | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    problems.push({ path, message: 'must be a mapping such as { id: forums, type: feed, urls: [...], every: 10m }' });
    return undefined;
  }
  const fields = entry as Record<string, unknown>;
  const before = problems.length;
  const at = (key: string) => [...path, key];
  const id = fields.id;
  if (typeof id !== 'string' || !ID_PATTERN.test(id))
    problems.push({ path: at('id'), message: `needs an id of letters, digits, - and _ (at most 64), got ${JSON.stringify(id)}` });
  const type = fields.type;
  const spec = typeof type === 'string' && Object.hasOwn(LISTEN_TYPES, type) ? LISTEN_TYPES[type] : undefined;
  if (!spec) {
    const known = Object.keys(LISTEN_TYPES);
    const hint = typeof type === 'string' ? suggestion(type, known) : '';
    problems.push({ path: at('type'), message: `unknown source type ${JSON.stringify(type)}${hint}; known: ${known.join(', ')}` });
  }
  // Without a known type its keys cannot be judged: the type's own problem is the one to fix first.
  const allowed = [...COMMON_KEYS, ...(spec?.keys ?? [])];
  for (const key of spec ? Object.keys(fields) : []) {
    if (!allowed.includes(key)) problems.push({ path: at(key), message: `unknown key '${key}'${suggestion(key, allowed)}` });
  }
  for (const group of spec?.required ?? []) {
    if (group.every((key) => fields[key] === undefined || fields[key] === null))
      problems.push({ path: at(group[0] ?? 'type'), message: `a ${String(type)} source needs ${group.join(' or ')}` });
  }
  const every = duration(fields.every, at('every'), problems, { required: true });
  if (every !== undefined && parseDuration(every) < MIN_EVERY_MS)
    problems.push({ path: at('every'), message: `must be at least 30s, got '${every}'` });
  const since = duration(fields.since, at('since'), problems, { required: false }) ?? DEFAULT_SINCE;
  const alertAfter = fields.alertAfter;
  if (alertAfter !== undefined && !(typeof alertAfter === 'number' && Number.isInteger(alertAfter) && alertAfter > 0))
    problems.push({ path: at('alertAfter'), message: `must be a whole number of failures above 0, got ${JSON.stringify(alertAfter)}` });
  if (fields.escalate !== undefined && (typeof fields.escalate !== 'string' || fields.escalate === ''))
    problems.push({ path: at('escalate'), message: 'must name an escalation target (targets:)' });
  else if (typeof fields.escalate === 'string' && targets !== undefined && !targets.includes(fields.escalate))
    problems.push({ path: at('escalate'), message: unknownTargetMessage(fields.escalate, targets) });
  if (fields.escalate !== undefined && alertAfter === undefined)
    problems.push({ path: at('escalate'), message: 'needs alertAfter: the number of consecutive failures that escalate' });
  const baseUrl = fields.baseUrl;
  if (baseUrl !== undefined && !isHttpUrl(baseUrl))
    problems.push({ path: at('baseUrl'), message: `must be an http(s) URL, got ${JSON.stringify(baseUrl)}` });
  const self = strings(fields.self, at('self'), problems) ?? [];
  const urls = strings(fields.urls, at('urls'), problems);
  const subreddits = strings(fields.subreddits, at('subreddits'), problems);
  const hashtags = strings(fields.hashtags, at('hashtags'), problems);
  const channels = strings(fields.channels, at('channels'), problems);
  const videos = strings(fields.videos, at('videos'), problems);
  if (fields.instance !== undefined && !isHttpUrl(fields.instance))
    problems.push({
      path: at('instance'),
      message: `must be the instance's https URL, such as https://mastodon.social, got ${JSON.stringify(fields.instance)}`,
    });
  for (const [index, name] of (subreddits ?? []).entries()) {
    if (!/^[A-Za-z0-9_]{2,21}$/.test(name.replace(/^r\//, '')))
      problems.push({
        path: [...at('subreddits'), String(index)],
        message: `must be a subreddit name such as personalfinance, got ${JSON.stringify(name)}`,
      });
  }
  for (const [index, url] of (urls ?? []).entries()) {
    if (!isHttpUrl(url))
      problems.push({ path: [...at('urls'), String(index)], message: `must be an http(s) URL, got ${JSON.stringify(url)}` });
  }
  for (const key of ['query', 'lang'] as const) {
    const text = fields[key];
    if (text !== undefined && (typeof text !== 'string' || text.trim() === ''))
      problems.push({ path: at(key), message: `must be a non-empty text, got ${JSON.stringify(text)}` });
  }
  if (problems.length > before || !every) return undefined;
  return {
    id: id as string,
    type: type as string,
    every,
    everyMs: parseDuration(every),
    sinceMs: parseDuration(since),
    ...(typeof alertAfter === 'number' ? { alertAfter } : {}),
    ...(typeof fields.escalate === 'string' ? { escalate: fields.escalate } : {}),
    ...(typeof baseUrl === 'string' ? { baseUrl } : {}),
    self,
    ...(typeof fields.query === 'string' ? { query: fields.query } : {}),
    ...(typeof fields.lang === 'string' ? { lang: fields.lang } : {}),
    ...(urls ? { urls } : {}),
    ...(subreddits ? { subreddits: subreddits.map((name) => name.replace(/^r\//, '')) } : {}),
    ...(typeof fields.instance === 'string' ? { instance: fields.instance.replace(/\/+$/, '') } : {}),
    ...(hashtags ? { hashtags: hashtags.map((tag) => tag.replace(/^#/, '')) } : {}),
    ...(channels ? { channels } : {}),
    ...(videos ? { videos } : {}),
  };
}

/** As for `limits.breaker.target`, with the declared name it was probably meant to be. */
function unknownTargetMessage(target: string, targets: readonly string[]): string {
  const near = /'([^']+)'/.exec(suggestion(target, targets))?.[1];
  return `unknown target '${target}' (declare it under targets:${near === undefined ? '' : `; did you mean '${near}'?`})`;
}

function duration(
  value: unknown,
  path: string[],
  problems: ListenConfigProblem[],
  { required }: { required: boolean },
): string | undefined {
  if (value === undefined || value === null) {
    if (required) problems.push({ path, message: `is required: ${DURATION_MESSAGE}` });
    return undefined;
  }
  if (typeof value !== 'string' || !isDuration(value) || parseDuration(value) <= 0) {
    problems.push({ path, message: `must be ${DURATION_MESSAGE}, got ${JSON.stringify(value)}` });
    return undefined;
  }
  return value.trim();
}

function strings(value: unknown, path: string[], problems: ListenConfigProblem[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string' && item !== '')) {
    problems.push({ path, message: `must be a non-empty list of texts, got ${JSON.stringify(value)}` });
    return undefined;
  }
  return value as string[];
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The error's message: each problem on a line of its own, with the file and, when `lineOf` knows it, the line. */
export function listenProblemText(
  source: string,
  problems: readonly ListenConfigProblem[],
  lineOf: (path: readonly string[]) => number,
): string {
  const lines = problems.map(({ path, message }) => {
    const line = lineOf(path);
    return `  ${source}${line > 0 ? `:${line}` : ''}: ${path.join('.')}: ${message}`;
  });
  return `${source}: invalid listen section:\n${lines.join('\n')}`;
}
