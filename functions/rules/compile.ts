import type { z } from 'zod';
import { canonicalEventSchema } from '../core/event.js';
import {
  type CompiledRule,
  compileAction,
  compileValidatedRule,
  type LocatedProblem,
  normaliseOptionsOf,
  type RuleCompileContext,
} from './compiled-rule.js';
import { compileConditions } from './conditions.js';
import { keySuggestion, schemaAt, unknownLanguageMessage } from './did-you-mean.js';
import type { RuleLanguageExtension } from './extension.js';
import { actionSchema, localisedTextSchema, type RuleSpec, type RuleTest, ruleSchemaFor } from './schema.js';

export type {
  CompiledAction,
  CompiledLimits,
  CompiledRule,
  LocalisedTemplates,
  LocatedProblem,
} from './compiled-rule.js';

export interface CompileContext extends Omit<RuleCompileContext, 'textLimits'> {
  /** The rule language extensions whose keys a rule may hold. */
  extensions: readonly RuleLanguageExtension[];
}

/**
 * zod reports a failed union as one issue with every branch's issues; keep the closest branch's. An unknown key
 * gets a did-you-mean from the keys `schema` allows there, and a language name where a code goes names the code.
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, base: Array<string | number> = []): LocatedProblem[] {
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
        out.push(...flattenIssues(best.branch, schema, path));
      }
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown key '${key}'${keySuggestion(key, schema, path)}` });
      continue;
    }
    if (issue.code === 'invalid_key' && schemaAt(schema, path.slice(0, -1)) === localisedTextSchema) {
      out.push({ path, message: unknownLanguageMessage(String(path.at(-1))) });
      continue;
    }
    out.push({ path, message: issue.message });
  }
  return out;
}

function describeUnionMismatch(path: ReadonlyArray<string | number>): string {
  if (path.length === 2 && (path[0] === 'then' || path[0] === 'onQuiet')) {
    return 'an action is an object with exactly one of: reply, post, tag, hold, escalate, crisis, assign';
  }
  if (path.at(-1) === 'tag') return 'tag takes a label or a list of labels';
  return 'expected a text, or texts per language code with a `default`';
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
    problems.push(...flattenIssues(parsed.error.issues, ruleSchemaFor(context.extensions)).filter((problem) => problem.path[0] !== 'when'));
  }
  if (parsed.success) {
    const textLimits = context.extensions.find((extension) => extension.textLimits !== undefined)?.textLimits;
    const rule = compileValidatedRule(parsed.data, file, order, { config: context.config, text: context.text, textLimits }, problems);
    for (const extension of context.extensions) if (extension.checkRule) problems.push(...extension.checkRule(parsed.data, context.config));
    if (!validated) checkTests(parsed.data.tests ?? [], problems);
    return rule && problems.length === 0 ? { id, problems, rule } : { id, problems };
  }
  // Still check the meaning of the parts that have the right shape, so one run reports everything.
  const rawRule = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (!('when' in rawRule)) problems.push({ path: [], message: "a rule needs 'when' (its conditions)" });
  else compileConditions(rawRule.when, ['when'], context, normaliseOptionsOf({}), new Set<string>(), problems, true);
  if (Array.isArray(rawRule.then)) {
    rawRule.then.forEach((action: unknown, index: number) => {
      const one = actionSchema.safeParse(action);
      if (one.success) compileAction(one.data, ['then', index], context.config, problems);
    });
  }
  return { id, problems };
}
