import { parseDuration } from '../core/duration.js';
import { type MatchingLists, matchOptions, type NormaliseOptions } from '../text/index.js';
import { compileConditions, knownFacts, suggestion } from './conditions.js';
import type { FoghornConfig } from './config.js';
import type { TextLimitLookup } from './extension.js';
import { isKnownFact } from './facts.js';
import type { TextConditions } from './operators.js';
import { type CompiledOverflow, checkOverflow } from './overflow.js';
import type { ActionSpec, RuleSpec, RuleTest } from './schema.js';
import { compileTemplate, type Template } from './template.js';

/**
 * A rule's meaning compiled from a spec whose shape is already valid: conditions, templates, limits, overflow.
 * It loads no zod (the spec's types only), so the evaluate Lambda compiles its rule set, validated at synth, with
 * this alone; compile.ts validates the shape first and then comes here.
 */

/** A problem found while compiling one rule; the loader adds the file and line. */
export interface LocatedProblem {
  path: Array<string | number>;
  message: string;
}

export type LocalisedTemplates = { kind: 'single'; template: Template } | { kind: 'per-language'; templates: Map<string, Template> };

export type CompiledAction =
  | { type: 'reply'; text: LocalisedTemplates }
  | { type: 'post'; channel: string; text: LocalisedTemplates }
  | { type: 'tag'; tags: string[] }
  | { type: 'hold'; reason: Template; inner?: CompiledAction }
  | { type: 'escalate'; target: string; severity: string; summary: Template }
  | { type: 'crisis'; state: 'on' | 'off' }
  | { type: 'assign'; team?: string; person?: string; unanswered?: { after: string; afterMs: number; escalate: string } };

export interface CompiledLimits {
  perAuthor?: { count: number; windowMs: number };
  oncePerThread: boolean;
  perMinute?: number;
  breakerCooldownMs: number;
  breakerTarget?: string;
}

export interface CompiledRule {
  id: string;
  file: string;
  /** Position in load order; breaks priority ties deterministically. */
  order: number;
  spec: RuleSpec;
  priority: number;
  stop: boolean;
  enabled: boolean;
  /** Conditions as json-rules-engine runs them (text operator values replaced by compiled keys). */
  conditions: Record<string, unknown>;
  facts: Set<string>;
  actions: CompiledAction[];
  /** Volume rules: the actions run when a spike episode goes quiet. */
  onQuiet?: CompiledAction[];
  limits: CompiledLimits;
  /** What becomes of a reply or post longer than its platform allows, and the platforms' limits. */
  overflow: CompiledOverflow;
  tests: RuleTest[];
}

/** What a rule is compiled against: the team config, the text conditions it registers, the platforms' text limits. */
export interface RuleCompileContext {
  config: FoghornConfig;
  text: TextConditions;
  textLimits?: TextLimitLookup | undefined;
}

/** Compiles a spec that passed the rule schema; undefined when a problem was found (each is added to `problems`). */
export function compileValidatedRule(
  spec: RuleSpec,
  file: string,
  order: number,
  context: RuleCompileContext,
  problems: LocatedProblem[],
): CompiledRule | undefined {
  const facts = new Set<string>();
  const conditions = compileConditions(
    spec.when,
    ['when'],
    context,
    normaliseOptionsOf(spec, context.config.matching),
    facts,
    problems,
    true,
  );
  const actions = spec.then.map((action, index) => compileAction(action, ['then', index], context.config, problems));
  const onQuiet = spec.onQuiet?.map((action, index) => compileAction(action, ['onQuiet', index], context.config, problems));
  if (onQuiet && spec.volume === undefined)
    problems.push({ path: ['onQuiet'], message: 'onQuiet runs when a spike episode goes quiet: it needs volume' });
  const limits = compileLimits(spec, context.config, problems);
  const { textLimits } = context;
  checkOverflow(spec, context.config, textLimits, problems);
  if (problems.length > 0) return undefined;
  return {
    id: spec.id,
    file,
    order,
    spec,
    priority: spec.priority,
    stop: spec.stop,
    enabled: spec.enabled,
    conditions,
    facts,
    actions,
    ...(onQuiet ? { onQuiet } : {}),
    limits,
    overflow: { policy: spec.overflow ?? 'hold', ...(textLimits ? { limits: textLimits } : {}) },
    tests: spec.tests ?? [],
  };
}

/** The normalisation of a rule's text operators: its `match:` settings over the team's `matching:` lists. */
export function normaliseOptionsOf(spec: Pick<RuleSpec, 'match'>, lists?: MatchingLists): NormaliseOptions {
  return matchOptions(spec.match, lists);
}

function compileTemplateAt(source: string, path: Array<string | number>, problems: LocatedProblem[]): Template {
  try {
    const template = compileTemplate(source);
    for (const field of template.fields) {
      if (!isKnownFact(field))
        problems.push({ path, message: `unknown placeholder field '{{${field}}}'${suggestion(field, knownFacts())}` });
    }
    return template;
  } catch (error) {
    problems.push({ path, message: (error as Error).message });
    return compileTemplate('');
  }
}

function compileLocalised(
  text: string | Record<string, string>,
  path: Array<string | number>,
  problems: LocatedProblem[],
): LocalisedTemplates {
  if (typeof text === 'string') return { kind: 'single', template: compileTemplateAt(text, path, problems) };
  const templates = new Map<string, Template>();
  for (const [lang, source] of Object.entries(text))
    templates.set(lang.toLowerCase(), compileTemplateAt(source, [...path, lang], problems));
  return { kind: 'per-language', templates };
}

export function compileAction(
  action: ActionSpec,
  path: Array<string | number>,
  config: FoghornConfig,
  problems: LocatedProblem[],
): CompiledAction {
  if ('reply' in action) return { type: 'reply', text: compileLocalised(action.reply.text, [...path, 'reply', 'text'], problems) };
  if ('post' in action) {
    if (!(action.post.channel in config.channels)) {
      problems.push({
        path: [...path, 'post', 'channel'],
        message: `unknown channel '${action.post.channel}'${declaredList('channels', Object.keys(config.channels))}`,
      });
    }
    return { type: 'post', channel: action.post.channel, text: compileLocalised(action.post.text, [...path, 'post', 'text'], problems) };
  }
  if ('tag' in action) return { type: 'tag', tags: typeof action.tag === 'string' ? [action.tag] : action.tag };
  if ('escalate' in action) {
    checkTarget(action.escalate.target, [...path, 'escalate', 'target'], config, problems);
    return {
      type: 'escalate',
      target: action.escalate.target,
      severity: action.escalate.severity,
      summary: compileTemplateAt(action.escalate.summary, [...path, 'escalate', 'summary'], problems),
    };
  }
  if ('crisis' in action) return { type: 'crisis', state: action.crisis };
  // Team and person names are checked against the config by the assignment extension (its checkRule).
  if ('assign' in action) {
    const { team, person, unanswered } = action.assign;
    return {
      type: 'assign',
      ...(team ? { team } : {}),
      ...(person ? { person } : {}),
      ...(unanswered
        ? { unanswered: { after: unanswered.after, afterMs: parseDuration(unanswered.after), escalate: unanswered.escalate } }
        : {}),
    };
  }
  const { hold } = action;
  const inner = hold.reply
    ? compileAction({ reply: hold.reply }, [...path, 'hold'], config, problems)
    : hold.post
      ? compileAction({ post: hold.post }, [...path, 'hold'], config, problems)
      : undefined;
  return { type: 'hold', reason: compileTemplateAt(hold.reason, [...path, 'hold', 'reason'], problems), ...(inner ? { inner } : {}) };
}

function declaredList(section: string, names: readonly string[]): string {
  return names.length === 0 ? ` (no ${section} are declared in foghorn.config.yaml)` : ` (declared ${section}: ${names.join(', ')})`;
}

function checkTarget(target: string, path: Array<string | number>, config: FoghornConfig, problems: LocatedProblem[]): void {
  if (!(target in config.targets)) {
    problems.push({ path, message: `unknown target '${target}'${declaredList('targets', Object.keys(config.targets))}` });
  }
}

function compileLimits(spec: RuleSpec, config: FoghornConfig, problems: LocatedProblem[]): CompiledLimits {
  const limits = spec.limits ?? {};
  const breaker = config.limits.breaker;
  const compiled: CompiledLimits = {
    oncePerThread: limits.oncePerThread === true,
    breakerCooldownMs: parseDuration(limits.breakerCooldown ?? breaker.cooldown),
  };
  if (limits.perAuthor !== undefined) {
    const [count, window] = limits.perAuthor.split('/').map((part) => part.trim()) as [string, string];
    compiled.perAuthor = { count: Number(count), windowMs: parseDuration(window) };
    if (compiled.perAuthor.count < 1)
      problems.push({ path: ['limits', 'perAuthor'], message: 'perAuthor allows at least 1 firing per window' });
  }
  const perMinute = limits.perMinute ?? breaker.perMinute;
  if (perMinute !== undefined) {
    compiled.perMinute = perMinute;
    const target = limits.escalateTo ?? breaker.target;
    if (target === undefined) {
      problems.push({
        path: ['limits', 'perMinute'],
        message: 'a per-minute ceiling escalates when it trips: set limits.escalateTo or limits.breaker.target in foghorn.config.yaml',
      });
    } else {
      checkTarget(target, ['limits', 'escalateTo'], config, problems);
      compiled.breakerTarget = target;
    }
  } else if (limits.escalateTo !== undefined) {
    checkTarget(limits.escalateTo, ['limits', 'escalateTo'], config, problems);
  }
  return compiled;
}
