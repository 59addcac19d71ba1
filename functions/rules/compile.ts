import type { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { canonicalEventSchema } from '../core/event.js';
import type { NormaliseOptions } from '../text/index.js';
import { compileConditions, knownFacts, suggestion } from './conditions.js';
import type { FoghornConfig } from './config.js';
import type { RuleLanguageExtension } from './extension.js';
import { isKnownFact } from './facts.js';
import type { TextConditions } from './operators.js';
import { type CompiledOverflow, checkOverflow } from './overflow.js';
import { type ActionSpec, actionSchema, type RuleSpec, type RuleTest, ruleSchemaFor } from './schema.js';
import { compileTemplate, type Template } from './template.js';

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
  | { type: 'crisis'; state: 'on' | 'off' };

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

export interface CompileContext {
  config: FoghornConfig;
  text: TextConditions;
  /** The rule language extensions whose keys a rule may hold. */
  extensions: readonly RuleLanguageExtension[];
}

/** zod reports a failed union as one issue with every branch's issues; keep the closest branch's. */
function flattenIssues(issues: readonly z.core.$ZodIssue[], base: Array<string | number> = []): LocatedProblem[] {
  const out: LocatedProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as Array<string | number>)];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors
        .map((branch) => {
          const rootMismatch = branch.some((b) => b.path.length === 0 && (b.code === 'unrecognized_keys' || b.code === 'invalid_type'));
          return { branch, score: (rootMismatch ? 1000 : 0) + branch.length };
        })
        .sort((a, b) => a.score - b.score);
      const best = branches[0]!;
      if (best.score >= 1000) {
        out.push({ path, message: describeUnionMismatch(path) });
      } else {
        out.push(...flattenIssues(best.branch, path));
      }
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown key '${key}'` });
      continue;
    }
    out.push({ path, message: issue.message });
  }
  return out;
}

function describeUnionMismatch(path: ReadonlyArray<string | number>): string {
  if (path.length === 2 && (path[0] === 'then' || path[0] === 'onQuiet')) {
    return 'an action is an object with exactly one of: reply, post, tag, hold, escalate, crisis';
  }
  if (path.at(-1) === 'tag') return 'tag takes a label or a list of labels';
  return 'expected a text, or texts per language code with a `default`';
}

function normaliseOptionsOf(spec: Pick<RuleSpec, 'match'>): NormaliseOptions {
  return { accents: spec.match?.accents ?? 'ignore', unifyTehMarbuta: spec.match?.tehMarbuta === 'unify' };
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

function compileAction(
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

function checkTests(tests: readonly RuleTest[], problems: LocatedProblem[]): void {
  tests.forEach((test, index) => {
    const events = test.events ?? (test.event ? [test.event] : []);
    events.forEach((event, eventIndex) => {
      const parsed = canonicalEventSchema.safeParse(withTestDefaults(event, `t${index}-${eventIndex}`, new Date(0)));
      if (!parsed.success) {
        const base: Array<string | number> = test.events ? ['tests', index, 'events', eventIndex] : ['tests', index, 'event'];
        for (const issue of parsed.error.issues)
          problems.push({ path: [...base, ...(issue.path as Array<string | number>)], message: issue.message });
      }
    });
  });
}

/** A test event with what the author left out filled in, so tests stay short. */
export function withTestDefaults(event: Record<string, unknown>, id: string, now: Date): Record<string, unknown> {
  const author = (event.author ?? {}) as Record<string, unknown>;
  const channel = (event.channel ?? {}) as Record<string, unknown>;
  return {
    id: `test:${id}`,
    platform: 'test',
    kind: 'message',
    text: '',
    createdAt: now.toISOString(),
    receivedAt: now.toISOString(),
    ...event,
    author: { id: 'test-author', ...author },
    channel: { id: 'test-channel', ...channel },
  };
}

export interface CompileResult {
  rule?: CompiledRule;
  id?: string;
  problems: LocatedProblem[];
}

/**
 * Validates one rule (shape, then meaning) and compiles it; every problem found is reported.
 * `validated`: `raw` is a spec that already passed this function (a rule set compiled at deploy
 * time), so its shape and its tests' events are not checked again.
 */
export function compileRule(
  raw: unknown,
  file: string,
  order: number,
  context: CompileContext,
  { validated = false }: { validated?: boolean } = {},
): CompileResult {
  const problems: LocatedProblem[] = [];
  const id =
    raw !== null && typeof raw === 'object' && typeof (raw as Record<string, unknown>).id === 'string'
      ? ((raw as Record<string, unknown>).id as string)
      : undefined;
  const parsed = validated ? { success: true as const, data: raw as RuleSpec } : ruleSchemaFor(context.extensions).safeParse(raw);
  if (!parsed.success) {
    // `when` is checked below with messages about facts and operators; zod's union message is vaguer.
    problems.push(...flattenIssues(parsed.error.issues).filter((problem) => problem.path[0] !== 'when'));
  }
  const rawRule = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const options = normaliseOptionsOf(parsed.success ? parsed.data : {});
  const facts = new Set<string>();
  if (!('when' in rawRule)) problems.push({ path: [], message: "a rule needs 'when' (its conditions)" });
  const conditions = 'when' in rawRule ? compileConditions(rawRule.when, ['when'], context, options, facts, problems, true) : {};
  if (!parsed.success) {
    // Still check the meaning of the parts that have the right shape, so one run reports everything.
    if (Array.isArray(rawRule.then)) {
      rawRule.then.forEach((action: unknown, index: number) => {
        const one = actionSchema.safeParse(action);
        if (one.success) compileAction(one.data, ['then', index], context.config, problems);
      });
    }
    return { id, problems };
  }
  const spec = parsed.data;
  const actions = spec.then.map((action, index) => compileAction(action, ['then', index], context.config, problems));
  const onQuiet = spec.onQuiet?.map((action, index) => compileAction(action, ['onQuiet', index], context.config, problems));
  if (onQuiet && spec.volume === undefined)
    problems.push({ path: ['onQuiet'], message: 'onQuiet runs when a spike episode goes quiet: it needs volume' });
  const limits = compileLimits(spec, context.config, problems);
  const textLimits = context.extensions.find((extension) => extension.textLimits !== undefined)?.textLimits;
  checkOverflow(spec, context.config, textLimits, problems);
  for (const extension of context.extensions) if (extension.checkRule) problems.push(...extension.checkRule(spec, context.config));
  if (!validated) checkTests(spec.tests ?? [], problems);
  if (problems.length > 0) return { id, problems };
  return {
    id,
    problems,
    rule: {
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
    },
  };
}
