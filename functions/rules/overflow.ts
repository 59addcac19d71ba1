import type { CanonicalEvent } from '../core/event.js';
import { splitText, type TextCount, textLength, truncateText } from '../text/index.js';
import type { FoghornConfig } from './config.js';
import type { TargetTextLimit, TextLimitLookup } from './extension.js';
import { pinnedValues } from './pinned-facts.js';
import type { ActionSpec, RuleSpec } from './schema.js';
import { compileTemplate } from './template.js';

/**
 * A rule's `overflow`: what becomes of a reply or post longer than its platform allows. `hold`
 * (the default) leaves the text whole, and the act stage's length guard sends it to the approval
 * queue with the reason; `truncate` cuts it here, with an ellipsis; `split` cuts it here into parts
 * the act stage posts as a thread. The limits come from the rule language's extensions (the
 * platforms' table); without one nothing is measured.
 */
export const OVERFLOW_POLICIES = ['hold', 'truncate', 'split'] as const;
export type OverflowPolicy = (typeof OVERFLOW_POLICIES)[number];

export interface CompiledOverflow {
  policy: OverflowPolicy;
  limits?: TextLimitLookup;
}

const UNIT: Record<TextCount, string> = {
  utf16: 'characters',
  utf8: 'bytes (UTF-8)',
  graphemes: 'characters',
  'x-weighted': 'weighted characters',
};

function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** "5,000 characters; telegram allows 4,096". */
export function describeOverflow(length: number, limit: TargetTextLimit): string {
  return `${count(length)} ${UNIT[limit.counts]}; ${limit.surface} allows ${count(limit.max)}`;
}

/** The limit a rendered reply or post must keep: replies go to the event's platform, posts to their channel's. */
export function limitOf(
  type: string,
  params: Record<string, unknown>,
  event: CanonicalEvent,
  config: FoghornConfig,
  limits: TextLimitLookup,
): TargetTextLimit | undefined {
  if (type === 'reply') return limits({ platform: event.platform, action: 'reply', kind: event.kind });
  if (type !== 'post') return undefined;
  const channel = typeof params.channel === 'string' ? config.channels[params.channel] : undefined;
  return limits({ platform: channel?.platform ?? event.platform, action: 'post' });
}

/**
 * A rendered action fitted to its platform's limit by the rule's policy: a text that fits, or is to
 * be held, is left alone; `truncate` replaces the text; `split` adds `parts` (the text stays whole,
 * for the outgoing guard to read) where the platform has threads. A held rule action's parked reply
 * or post is fitted the same way.
 */
export function fitRendered(
  rendered: { type: string; params: Record<string, unknown> },
  overflow: CompiledOverflow,
  event: CanonicalEvent,
  config: FoghornConfig,
): { type: string; params: Record<string, unknown> } {
  const { limits, policy } = overflow;
  if (limits === undefined || policy === 'hold') return rendered;
  if (rendered.type === 'hold') {
    const parked = rendered.params.action as ({ type: string } & Record<string, unknown>) | undefined;
    if (parked === undefined) return rendered;
    const { type, ...params } = parked;
    const fitted = fitRendered({ type, params }, overflow, event, config);
    return { type: 'hold', params: { ...rendered.params, action: { type: fitted.type, ...fitted.params } } };
  }
  const { text } = rendered.params;
  if (typeof text !== 'string') return rendered;
  const limit = limitOf(rendered.type, rendered.params, event, config, limits);
  if (limit === undefined) return rendered;
  const length = textLength(text, limit.counts);
  if (length <= limit.max) return rendered;
  const fitted = { from: length, max: limit.max, counts: limit.counts, surface: limit.surface };
  if (policy === 'truncate') {
    return { type: rendered.type, params: { ...rendered.params, text: truncateText(text, limit), fitted: { ...fitted, how: 'truncate' } } };
  }
  // split where the platform cannot thread: left whole, so the length guard holds it with the reason.
  if (!limit.threads) return rendered;
  return { type: rendered.type, params: { ...rendered.params, parts: splitText(text, limit), fitted: { ...fitted, how: 'split' } } };
}

interface Problem {
  path: Array<string | number>;
  message: string;
}

/** The reply and post texts of an action (a hold's parked one too), with their paths in the rule. */
function textsOf(
  action: ActionSpec,
  path: Array<string | number>,
): Array<{ type: 'reply' | 'post'; channel?: string; text: string; path: Array<string | number> }> {
  const one = (type: 'reply' | 'post', text: string | Record<string, string>, at: Array<string | number>, channel?: string) =>
    typeof text === 'string'
      ? [{ type, text, path: at, ...(channel ? { channel } : {}) }]
      : Object.entries(text).map(([lang, source]) => ({ type, text: source, path: [...at, lang], ...(channel ? { channel } : {}) }));
  if ('reply' in action) return one('reply', action.reply.text, [...path, 'reply', 'text']);
  if ('post' in action) return one('post', action.post.text, [...path, 'post', 'text'], action.post.channel);
  if ('hold' in action) {
    const { hold } = action;
    if (hold.reply) return one('reply', hold.reply.text, [...path, 'hold', 'reply', 'text']);
    if (hold.post) return one('post', hold.post.text, [...path, 'hold', 'post', 'text'], hold.post.channel);
  }
  return [];
}

function isStatic(source: string): boolean {
  try {
    return compileTemplate(source).fields.length === 0;
  } catch {
    return false;
  }
}

/**
 * What can be known before any event: a static text (no placeholders) over the limit of a platform
 * the rule is pinned to (its conditions on `platform`, or its post's channel in the team config), and
 * `overflow: split` towards a platform without threads. `kind` conditions narrow the limit (an X DM
 * allows more than an X post); without them a reply is checked against the platform's most lenient
 * reply limit. A long static text with `split` on a platform with threads is a deliberate thread.
 */
export function checkOverflow(spec: RuleSpec, config: FoghornConfig, limits: TextLimitLookup | undefined, problems: Problem[]): void {
  if (limits === undefined) return;
  const policy: OverflowPolicy = spec.overflow ?? 'hold';
  const platforms = pinnedValues(spec.when, 'platform');
  const kinds = pinnedValues(spec.when, 'kind');
  const splitRefused = new Set<string>();
  const actions = [
    ...spec.then.map((action, index) => ({ action, path: ['then', index] as Array<string | number> })),
    ...(spec.onQuiet ?? []).map((action, index) => ({ action, path: ['onQuiet', index] as Array<string | number> })),
  ];
  for (const { action, path } of actions) {
    for (const text of textsOf(action, path)) {
      const channelPlatform = text.channel === undefined ? undefined : config.channels[text.channel]?.platform;
      const targets = channelPlatform !== undefined ? [channelPlatform] : [...(platforms ?? [])];
      const targetKinds: Array<string | undefined> = text.type === 'reply' && kinds !== undefined ? [...kinds] : [undefined];
      for (const platform of targets) {
        for (const kind of targetKinds) {
          const limit = limits({ platform, action: text.type, ...(kind === undefined ? {} : { kind }) });
          if (limit === undefined) continue;
          if (policy === 'split' && !limit.threads && !splitRefused.has(limit.surface)) {
            splitRefused.add(limit.surface);
            problems.push({
              path: ['overflow'],
              message: `overflow: split posts a long text as a thread, which ${platform} cannot do (${limit.surface}): use truncate or hold`,
            });
          }
          if (!isStatic(text.text)) continue;
          const length = textLength(text.text, limit.counts);
          if (length > limit.max && !(policy === 'split' && limit.threads)) {
            problems.push({ path: text.path, message: `the text is too long: ${describeOverflow(length, limit)}` });
            break;
          }
        }
      }
    }
  }
}
