import { z } from 'zod';
import { COUNT_PER_DURATION_PATTERN } from '../core/duration.js';
import { durationSchema } from '../core/duration-schema.js';
import type { RuleLanguageExtension } from './extension.js';
import { COMPUTED_FACTS, EVENT_FIELDS, OPEN_FACT_PREFIXES } from './facts.js';
import { OPERATOR_DECORATORS, STANDARD_OPERATORS, TEXT_OPERATORS } from './operators.js';
import type { BASE_RULE_KEYS } from './rule-keys.js';

/**
 * The shape of a rule file, in one zod schema per list of extensions (ruleSchemaFor): the validator
 * parses with it and `npm run schema` turns it into schema/rule.schema.json for editors. Meaning
 * (known facts, operators, targets, regexes, duplicate ids) is checked afterwards by compile.ts.
 */

const duration = durationSchema();

/** Reply text: one string for every language, or one per language code with a `default`. */
export const localisedTextSchema = z
  .union([
    z.string().min(1),
    z
      .record(
        z.string().regex(/^(default|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/, 'a language code such as en, fa, pt-BR, or default'),
        z.string(),
      )
      .refine((texts) => typeof texts.default === 'string', {
        message: 'per-language texts need a `default` text for every other language',
      }),
  ])
  .describe('Text, or texts per language code (en, fa, ar, …) with a `default`. {{field}} placeholders are filled from the event.');

export interface LeafCondition {
  fact: string;
  operator: string;
  value: unknown;
  path?: string;
  params?: Record<string, unknown>;
  priority?: number;
}
export type Condition =
  | LeafCondition
  | { all: Condition[]; priority?: number }
  | { any: Condition[]; priority?: number }
  | { not: Condition; priority?: number };

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The facts as an enum (editors complete them), computed ones described, and free-form `meta.*` as a pattern. */
export const factNameSchema = z
  .union([
    z
      .enum([...EVENT_FIELDS].filter((field) => !Object.hasOwn(COMPUTED_FACTS, field)) as [string, ...string[]])
      .describe('A field of the canonical event, by dotted name'),
    ...Object.entries(COMPUTED_FACTS).map(([name, meaning]) => z.literal(name).describe(meaning)),
    z
      .string()
      .regex(new RegExp(`^(${[...OPEN_FACT_PREFIXES].map(escapeRegex).join('|')}).+$`))
      .describe(`A free-form field: ${[...OPEN_FACT_PREFIXES].map((prefix) => `${prefix}*`).join(', ')}`),
  ])
  .describe('A canonical event field by dotted name (author.followers), or lang, localHour, weekday, businessHours, holiday, crisisMode');

const OPERATOR_NAMES = [...TEXT_OPERATORS, ...STANDARD_OPERATORS] as const;
/** The operators as an enum, and the decorated forms (not:containsAny, someFact:equal) as a pattern. */
export const operatorNameSchema = z
  .union([
    z.enum(OPERATOR_NAMES),
    z
      .string()
      .regex(new RegExp(`^((${OPERATOR_DECORATORS.join('|')}):)+(${OPERATOR_NAMES.join('|')})$`))
      .describe(`An operator with decorators (${OPERATOR_DECORATORS.join(', ')}), e.g. not:containsAny`),
  ])
  .describe('containsAny, containsAll, matches, or a json-rules-engine operator (equal, in, greaterThan, …)');

/**
 * Names declared in foghorn.config.yaml: any text to the validator (compile.ts checks them against the config
 * with a message that lists the declared ones); `npm run schema` writes the team's names into the editor schema.
 */
export const targetNameSchema = z.string().describe('A target name declared under `targets:` in foghorn.config.yaml');
export const channelNameSchema = z.string().describe('A channel name declared under `channels:` in foghorn.config.yaml');

const leafConditionSchema = z
  .object({
    fact: factNameSchema,
    operator: operatorNameSchema,
    value: z.unknown(),
    path: z.string().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    priority: z.number().int().positive().optional(),
  })
  .strict();

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    leafConditionSchema,
    z.object({ all: z.array(conditionSchema).min(1), priority: z.number().int().positive().optional() }).strict(),
    z.object({ any: z.array(conditionSchema).min(1), priority: z.number().int().positive().optional() }).strict(),
    z.object({ not: conditionSchema, priority: z.number().int().positive().optional() }).strict(),
  ]),
);

const topConditionSchema = z
  .union([
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ])
  .describe('json-rules-engine conditions: all / any / not, nested');

const replySchema = z.object({ text: localisedTextSchema }).strict();
const postSchema = z
  .object({
    channel: channelNameSchema,
    text: localisedTextSchema,
  })
  .strict();
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const escalateSchema = z
  .object({
    target: targetNameSchema,
    severity: z.enum(SEVERITIES).default('medium'),
    summary: z.string().min(1).describe('What a human should know; {{field}} placeholders allowed'),
  })
  .strict();
const holdSchema = z
  .object({
    reason: z.string().min(1),
    reply: replySchema.optional(),
    post: postSchema.optional(),
  })
  .strict()
  .refine((hold) => !(hold.reply && hold.post), { message: 'a hold parks one action: reply or post, not both' });

/** Names declared under `teams:` and `people:` (the assignment extension checks them against the config). */
const assignSchema = z
  .object({
    team: z.string().min(1).optional().describe('A team under `teams:`: one of its members in hours gets the conversation'),
    person: z.string().min(1).optional().describe('A person under `people:`'),
    unanswered: z
      .object({
        after: duration.describe('How long the owner has to answer (30m, 2h)'),
        escalate: z.string().min(1).default('lead').describe("`lead` (the team lead's notify target) or a target under `targets:`"),
      })
      .strict()
      .optional()
      .describe('Escalate when the owner has not answered in time'),
  })
  .strict()
  .refine((assign) => (assign.team === undefined) !== (assign.person === undefined), {
    message: 'assign names one owner: a team or a person',
  });

export const actionSchema = z
  .union([
    z.object({ reply: replySchema }).strict(),
    z.object({ post: postSchema }).strict(),
    z.object({ tag: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]) }).strict(),
    z.object({ hold: holdSchema }).strict(),
    z.object({ escalate: escalateSchema }).strict(),
    // Crisis mode records the rule and the event as the switch's cause.
    z.object({ crisis: z.enum(['on', 'off']).describe('Switch crisis mode on or off') }).strict(),
    z.object({ assign: assignSchema }).strict(),
  ])
  .describe('One of reply, post, tag, hold, escalate, crisis, assign');
export type ActionSpec = z.infer<typeof actionSchema>;

export const limitsSchema = z
  .object({
    perAuthor: z
      .string()
      .regex(COUNT_PER_DURATION_PATTERN, 'a count per duration such as 1/24h')
      .optional()
      .describe('At most N firings per author per duration, e.g. 1/24h'),
    oncePerThread: z.boolean().optional().describe('Fire at most once in a conversation thread'),
    perMinute: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Ceiling of firings per minute; above it the circuit breaker pauses the rule and escalates'),
    breakerCooldown: duration.optional().describe('How long a tripped breaker keeps the rule paused (default from config)'),
    escalateTo: targetNameSchema.optional().describe('Target the breaker escalates to (default from config)'),
  })
  .strict();

const testEventSchema = z.record(z.string(), z.unknown()).describe('A canonical event; missing fields get test defaults');
export const ruleTestSchema = z
  .object({
    name: z.string().min(1),
    now: z.iso.datetime({ offset: true }).optional().describe('Evaluation time (default 2026-01-05T10:00:00Z, a Monday)'),
    event: testEventSchema.optional(),
    events: z.array(testEventSchema).min(1).optional().describe('Events evaluated in order with shared state; expect applies to the last'),
    expect: z
      .object({
        fires: z.boolean(),
        actions: z
          .array(z.record(z.string(), z.unknown()))
          .optional()
          .describe("The actions of this rule, in order; each listed field must equal the action's"),
      })
      .strict(),
  })
  .strict()
  .refine((test) => (test.event === undefined) !== (test.events === undefined), { message: 'give exactly one of `event` or `events`' });
export type RuleTest = z.infer<typeof ruleTestSchema>;

const baseRuleShape = {
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case: lower-case letters, digits and single dashes'),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  priority: z.number().int().min(1).max(1_000_000).default(1).describe('Higher runs first'),
  stop: z.boolean().default(false).describe('When the conditions hold, no lower-priority rule acts on the event'),
  match: z
    .object({
      accents: z.enum(['ignore', 'match']).default('ignore').describe('ignore: café equals cafe'),
      tehMarbuta: z.enum(['distinct', 'unify']).default('distinct').describe('unify: ة equals ه'),
      hamza: z.enum(['distinct', 'unify']).default('distinct').describe('unify: ؤ equals و and ئ equals ی (مؤمن = مومن)'),
      clitics: z
        .union([z.enum(['on', 'off']), z.object({ off: z.array(z.string().min(1)).min(1) }).strict()])
        .default('on')
        .describe(
          'Arabic and Hebrew prefixes (و ف ب ل ك, ו ה ב ל מ ש כ): on, a phrase also matches a word with them (التوصيل in والتوصيل); off; or { off: [phrases] } for those phrases only',
        ),
      informal: z
        .enum(['on', 'off'])
        .default('on')
        .describe('on: informal spellings match their formal word (می‌رم = می‌روم), from the built-in lists and matching.informal'),
      lang: z
        .string()
        .regex(/^[a-z]{2,3}$/, 'a language code such as tr, az, ar or fa')
        .optional()
        .describe("The phrases' language: tr or az lower-case I as ı; a language other than ar or he strips no prefixes"),
    })
    .strict()
    .optional()
    .describe("Text normalisation options for this rule's text operators"),
  when: topConditionSchema,
  then: z.array(actionSchema).min(1),
  // Rendered with the rule's other actions; crisis mode keeps them on the spike episode and runs them when it ends.
  onQuiet: z
    .array(actionSchema)
    .min(1)
    .optional()
    .describe(
      'Volume rules only: actions run once when a spike episode ends after its quiet period; placeholders are filled from the event that opened the episode',
    ),
  limits: limitsSchema.optional(),
  overflow: z
    .enum(['hold', 'truncate', 'split'])
    .optional()
    .describe(
      'A reply or post longer than its platform allows: hold (default) sends it to the approval queue with the reason; truncate cuts it on a word boundary with an ellipsis; split posts it as a thread (X, Telegram, Discord, Slack)',
    ),
  tests: z.array(ruleTestSchema).optional(),
} satisfies Record<(typeof BASE_RULE_KEYS)[number], z.ZodType>;
const baseRuleSchema = z.object(baseRuleShape).strict();

/** A validated rule: the base language's keys, and those of the extensions it was validated with. */
export type RuleSpec = z.infer<typeof baseRuleSchema> & { readonly [extensionKey: string]: unknown };
export type RuleSchema = z.ZodType<RuleSpec>;

const schemas: Array<{ extensions: readonly RuleLanguageExtension[]; rule: RuleSchema; keys: ReadonlySet<string> }> = [];

function schemasFor(extensions: readonly RuleLanguageExtension[]): (typeof schemas)[number] {
  const cached = schemas.find(
    (entry) =>
      entry.extensions.length === extensions.length && entry.extensions.every((extension, index) => extension === extensions[index]),
  );
  if (cached) return cached;
  const shape: Record<string, z.ZodType> = { ...baseRuleShape };
  for (const extension of extensions) {
    for (const [key, schema] of Object.entries(extension.ruleKeys)) {
      if (Object.hasOwn(shape, key))
        throw new Error(`rule language extension '${extension.name}': the rule key '${key}' is already defined`);
      shape[key] = schema;
    }
  }
  // Compiled once per list of extensions: rules are validated with it at every load.
  const entry = { extensions: [...extensions], rule: z.object(shape).strict() as unknown as RuleSchema, keys: new Set(Object.keys(shape)) };
  schemas.push(entry);
  return entry;
}

/** The rule schema: the base language's keys, then each extension's, in order. */
export function ruleSchemaFor(extensions: readonly RuleLanguageExtension[]): RuleSchema {
  return schemasFor(extensions).rule;
}

/** The keys a rule may hold with these extensions. */
export function ruleKeysFor(extensions: readonly RuleLanguageExtension[]): ReadonlySet<string> {
  return schemasFor(extensions).keys;
}

/** A rule file holds one rule or a list of rules. */
export function ruleFileSchemaFor(extensions: readonly RuleLanguageExtension[]): z.ZodType {
  const rule = ruleSchemaFor(extensions);
  return z.union([rule, z.array(rule)]);
}
