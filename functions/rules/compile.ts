import type { z } from 'zod';
import { canonicalEventSchema } from '../core/event.js';
import { type FoghornConfig, parseDuration } from './config.js';
import { isKnownFact, knownFactNames } from './facts.js';
import { isTextOperator, OPERATOR_DECORATORS, STANDARD_OPERATORS, type TextConditions } from './operators.js';
import { type ActionSpec, actionSchema, type RuleSpec, ruleSchema, type RuleTest } from './schema.js';
import { compileTemplate, type Template } from './template.js';
import type { NormaliseOptions } from './text/index.js';

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
  limits: CompiledLimits;
  tests: RuleTest[];
}

export interface CompileContext {
  config: FoghornConfig;
  text: TextConditions;
}

const OPERATOR_NAMES: readonly string[] = [...STANDARD_OPERATORS, 'containsAny', 'containsAll', 'matches'];
const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;

function suggestion(name: string, candidates: readonly string[]): string {
  const lower = name.toLowerCase();
  const close = candidates.find((candidate) => candidate.toLowerCase() === lower)
    ?? candidates.find((candidate) => editDistance(candidate.toLowerCase(), lower) <= 2);
  return close === undefined ? '' : ` (did you mean '${close}'?)`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** zod reports a failed union as one issue with every branch's issues; keep the closest branch's. */
function flattenIssues(issues: readonly z.core.$ZodIssue[], base: Array<string | number> = []): LocatedProblem[] {
  const out: LocatedProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as Array<string | number>)];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.map((branch) => {
        const rootMismatch = branch.some((b) => b.path.length === 0 && (b.code === 'unrecognized_keys' || b.code === 'invalid_type'));
        return { branch, score: (rootMismatch ? 1000 : 0) + branch.length };
      }).sort((a, b) => a.score - b.score);
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
  if (path.length === 2 && path[0] === 'then') {
    return 'an action is an object with exactly one of: reply, post, tag, hold, escalate, crisis';
  }
  if (path.at(-1) === 'tag') return 'tag takes a label or a list of labels';
  return 'expected a text, or texts per language code with a `default`';
}

function normaliseOptionsOf(spec: Pick<RuleSpec, 'match'>): NormaliseOptions {
  return { accents: spec.match?.accents ?? 'ignore', unifyTehMarbuta: spec.match?.tehMarbuta === 'unify' };
}

/** Validates conditions (shape and meaning) and returns them as json-rules-engine will run them. */
function compileConditions(
  raw: unknown, path: Array<string | number>, context: CompileContext, options: NormaliseOptions,
  facts: Set<string>, problems: LocatedProblem[], topLevel: boolean,
): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ path, message: 'a condition is an object: { fact, operator, value } or { all | any | not: … }' });
    return {};
  }
  const condition = raw as Record<string, unknown>;
  const booleanKeys = BOOLEAN_KEYS.filter((key) => key in condition);
  if (booleanKeys.length > 1) {
    problems.push({ path, message: `a condition has one of all, any, not; this one has ${booleanKeys.join(' and ')}` });
    return {};
  }
  const booleanKey = booleanKeys[0];
  if (booleanKey !== undefined) {
    const extra = Object.keys(condition).filter((key) => key !== booleanKey && key !== 'priority');
    if (extra.length > 0) problems.push({ path, message: `unexpected ${extra.map((key) => `'${key}'`).join(', ')} beside '${booleanKey}'` });
    const inner = condition[booleanKey];
    if (booleanKey === 'not') {
      return { ...pickPriority(condition), not: compileConditions(inner, [...path, 'not'], context, options, facts, problems, false) };
    }
    if (!Array.isArray(inner) || inner.length === 0) {
      problems.push({ path: [...path, booleanKey], message: `'${booleanKey}' needs a non-empty list of conditions` });
      return {};
    }
    return {
      ...pickPriority(condition),
      [booleanKey]: inner.map((child, index) => compileConditions(child, [...path, booleanKey, index], context, options, facts, problems, false)),
    };
  }
  if (topLevel) {
    problems.push({ path, message: "'when' starts with all, any or not" });
    return {};
  }
  if ('condition' in condition) {
    problems.push({ path: [...path, 'condition'], message: 'shared named conditions are not supported; write the condition here' });
    return {};
  }
  for (const key of ['fact', 'operator', 'value'] as const) {
    if (!(key in condition)) problems.push({ path, message: `a condition needs '${key}'` });
  }
  const extra = Object.keys(condition).filter((key) => !['fact', 'operator', 'value', 'path', 'params', 'priority'].includes(key));
  if (extra.length > 0) problems.push({ path, message: `unknown key${extra.length > 1 ? 's' : ''} ${extra.map((key) => `'${key}'`).join(', ')} in a condition` });
  const { fact, operator } = condition;
  let value = condition.value;
  if (typeof fact !== 'string') {
    if ('fact' in condition) problems.push({ path: [...path, 'fact'], message: 'fact is a field name such as text or author.followers' });
  } else if (!isKnownFact(fact)) {
    problems.push({ path: [...path, 'fact'], message: `unknown fact '${fact}'${suggestion(fact, knownFacts())}` });
  } else {
    facts.add(fact);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'fact' in value) {
    const referenced = (value as Record<string, unknown>).fact;
    if (typeof referenced !== 'string' || !isKnownFact(referenced)) {
      problems.push({ path: [...path, 'value', 'fact'], message: `unknown fact '${String(referenced)}'` });
    } else {
      facts.add(referenced);
    }
  }
  if (typeof operator !== 'string') {
    if ('operator' in condition) problems.push({ path: [...path, 'operator'], message: 'operator is a name such as equal or containsAny' });
  } else {
    const parts = operator.split(':');
    const base = parts.pop()!;
    const unknownDecorator = parts.find((part) => !(OPERATOR_DECORATORS as readonly string[]).includes(part));
    if (!OPERATOR_NAMES.includes(base)) {
      problems.push({ path: [...path, 'operator'], message: `unknown operator '${operator}'${suggestion(base, OPERATOR_NAMES)}` });
    } else if (unknownDecorator !== undefined) {
      problems.push({ path: [...path, 'operator'], message: `unknown operator decorator '${unknownDecorator}' (known: ${OPERATOR_DECORATORS.join(', ')})` });
    } else if (isTextOperator(base)) {
      if (parts.some((part) => part === 'someValue' || part === 'everyValue' || part === 'swap')) {
        problems.push({ path: [...path, 'operator'], message: `${base} takes its phrases as a whole; use not: or someFact: only` });
      } else {
        try {
          value = context.text.register(base, value, options);
        } catch (error) {
          problems.push({ path: [...path, 'value'], message: (error as Error).message });
        }
      }
    } else {
      const problem = checkStandardValue(base, value);
      if (problem) problems.push({ path: [...path, 'value'], message: problem });
    }
  }
  const compiled: Record<string, unknown> = { fact, operator, value };
  if (condition.path !== undefined) compiled.path = condition.path;
  if (condition.params !== undefined) compiled.params = condition.params;
  if (condition.priority !== undefined) compiled.priority = condition.priority;
  return compiled;
}

function pickPriority(condition: Record<string, unknown>): Record<string, unknown> {
  return condition.priority === undefined ? {} : { priority: condition.priority };
}

function checkStandardValue(operator: string, value: unknown): string | undefined {
  const isFactReference = value !== null && typeof value === 'object' && !Array.isArray(value) && 'fact' in value;
  if (isFactReference) return undefined;
  if ((operator === 'in' || operator === 'notIn') && !Array.isArray(value)) return `${operator} needs a list, e.g. [message, comment]`;
  if (operator.startsWith('lessThan') || operator.startsWith('greaterThan')) {
    if (typeof value !== 'number') return `${operator} compares numbers; the value must be a number`;
  }
  return undefined;
}

let knownFactsCache: string[] | undefined;
function knownFacts(): string[] {
  knownFactsCache ??= knownFactNames();
  return knownFactsCache;
}

function compileTemplateAt(source: string, path: Array<string | number>, problems: LocatedProblem[]): Template {
  try {
    const template = compileTemplate(source);
    for (const field of template.fields) {
      if (!isKnownFact(field)) problems.push({ path, message: `unknown placeholder field '{{${field}}}'${suggestion(field, knownFacts())}` });
    }
    return template;
  } catch (error) {
    problems.push({ path, message: (error as Error).message });
    return compileTemplate('');
  }
}

function compileLocalised(text: string | Record<string, string>, path: Array<string | number>, problems: LocatedProblem[]): LocalisedTemplates {
  if (typeof text === 'string') return { kind: 'single', template: compileTemplateAt(text, path, problems) };
  const templates = new Map<string, Template>();
  for (const [lang, source] of Object.entries(text)) templates.set(lang.toLowerCase(), compileTemplateAt(source, [...path, lang], problems));
  return { kind: 'per-language', templates };
}

function compileAction(action: ActionSpec, path: Array<string | number>, config: FoghornConfig, problems: LocatedProblem[]): CompiledAction {
  if ('reply' in action) return { type: 'reply', text: compileLocalised(action.reply.text, [...path, 'reply', 'text'], problems) };
  if ('post' in action) {
    if (!(action.post.channel in config.channels)) {
      problems.push({ path: [...path, 'post', 'channel'], message: `unknown channel '${action.post.channel}'${declaredList('channels', Object.keys(config.channels))}` });
    }
    return { type: 'post', channel: action.post.channel, text: compileLocalised(action.post.text, [...path, 'post', 'text'], problems) };
  }
  if ('tag' in action) return { type: 'tag', tags: typeof action.tag === 'string' ? [action.tag] : action.tag };
  if ('escalate' in action) {
    checkTarget(action.escalate.target, [...path, 'escalate', 'target'], config, problems);
    return {
      type: 'escalate', target: action.escalate.target, severity: action.escalate.severity,
      summary: compileTemplateAt(action.escalate.summary, [...path, 'escalate', 'summary'], problems),
    };
  }
  if ('crisis' in action) return { type: 'crisis', state: action.crisis };
  const { hold } = action;
  const inner = hold.reply ? compileAction({ reply: hold.reply }, [...path, 'hold'], config, problems)
    : hold.post ? compileAction({ post: hold.post }, [...path, 'hold'], config, problems) : undefined;
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
    if (compiled.perAuthor.count < 1) problems.push({ path: ['limits', 'perAuthor'], message: 'perAuthor allows at least 1 firing per window' });
  }
  const perMinute = limits.perMinute ?? breaker.perMinute;
  if (perMinute !== undefined) {
    compiled.perMinute = perMinute;
    const target = limits.escalateTo ?? breaker.target;
    if (target === undefined) {
      problems.push({ path: ['limits', 'perMinute'], message: 'a per-minute ceiling escalates when it trips: set limits.escalateTo or limits.breaker.target in foghorn.config.yaml' });
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
        for (const issue of parsed.error.issues) problems.push({ path: [...base, ...(issue.path as Array<string | number>)], message: issue.message });
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

/** Validates one rule (shape, then meaning) and compiles it; every problem found is reported. */
export function compileRule(raw: unknown, file: string, order: number, context: CompileContext): CompileResult {
  const problems: LocatedProblem[] = [];
  const id = raw !== null && typeof raw === 'object' && typeof (raw as Record<string, unknown>).id === 'string'
    ? (raw as Record<string, unknown>).id as string : undefined;
  const parsed = ruleSchema.safeParse(raw);
  if (!parsed.success) {
    // `when` is checked below with messages about facts and operators; zod's union message is vaguer.
    problems.push(...flattenIssues(parsed.error.issues).filter((problem) => problem.path[0] !== 'when'));
  }
  const rawRule = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const options = normaliseOptionsOf(parsed.success ? parsed.data : {});
  const facts = new Set<string>();
  const conditions = 'when' in rawRule
    ? compileConditions(rawRule.when, ['when'], context, options, facts, problems, true)
    : (problems.push({ path: [], message: "a rule needs 'when' (its conditions)" }), {});
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
  const limits = compileLimits(spec, context.config, problems);
  checkTests(spec.tests ?? [], problems);
  if (problems.length > 0) return { id, problems };
  return {
    id,
    problems,
    rule: {
      id: spec.id, file, order, spec, priority: spec.priority, stop: spec.stop, enabled: spec.enabled,
      conditions, facts, actions, limits, tests: spec.tests ?? [],
    },
  };
}
