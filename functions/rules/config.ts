import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { durationSchema } from '../core/duration-schema.js';
import { RuleConfigError } from './errors.js';
import type { RuleLanguageOptions } from './extension.js';

/**
 * The team config that rules refer to (foghorn.config.yaml at the repository root, or the file
 * named by FOGHORN_CONFIG): time zone and business hours, escalation targets, post channels, and the
 * always-on limits. Unknown top-level sections are kept for other parts of Foghorn; the rule language
 * extensions check theirs (the escalation targets' settings, the crisis section) with the rest.
 */

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof DAYS)[number];
export const WEEKDAYS: readonly Weekday[] = DAYS;

/** `from-to` in local time; a `to` before `from` crosses midnight into the next day (22:00-02:00). */
const timeRange = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a range such as 09:00-18:00, or 22:00-02:00 across midnight')
  .refine((range) => range.slice(0, 5) !== range.slice(6), {
    error: (issue) => `an empty range '${String(issue.input)}': from and to are the same time (00:00-24:00 is the whole day)`,
  });

/** Opening hours per day (mon … sun): a range or a list; a day not listed is closed. People's `hours:` have the same shape. */
export const businessHoursSchema = z.partialRecord(z.enum(DAYS), z.union([timeRange, z.array(timeRange)]));

export const foghornConfigSchema = z.looseObject({
  timezone: z
    .string()
    .default('UTC')
    .refine(isTimeZone, { message: 'an IANA time zone such as Europe/London or Asia/Tehran' })
    .describe('IANA time zone for localHour, weekday and businessHours (Europe/Istanbul, Asia/Tehran)'),
  language: z
    .object({
      default: z.string().min(2).default('en').describe('The language of `default:` texts'),
      channels: z
        .record(
          z.string().regex(/^[^:]+:.+$/, 'a key such as telegram:-1001234567890 (<platform>:<channel id>)'),
          z.string().regex(/^[a-z]{2,3}$/, 'a language code such as fa, ar or en'),
        )
        .default({})
        .describe("Each channel's language (<platform>:<channel id>: code), used only for posts too short to tell"),
      expected: z
        .array(z.string().regex(/^[a-z]{2,3}$/, 'a language code such as sw, tr or en'))
        .min(1)
        .optional()
        .describe(
          "The languages the team's posts are written in (en, sw, tr, …): a post too short to tell is read as the likeliest of them in its alphabet, never another language of that alphabet",
        ),
    })
    .default({ default: 'en', channels: {} }),
  businessHours: businessHoursSchema
    .default({
      mon: '09:00-17:00',
      tue: '09:00-17:00',
      wed: '09:00-17:00',
      thu: '09:00-17:00',
      fri: '09:00-17:00',
    })
    .describe('Local opening hours per day (mon … sun): a range or a list; a day not listed is closed'),
  holidays: z.array(z.iso.date()).default([]).describe('Dates (YYYY-MM-DD) closed all day'),
  targets: z
    .record(z.string(), z.looseObject({ description: z.string().optional() }).nullable())
    .default({})
    .describe('Names `escalate:` may use'),
  channels: z
    .record(
      z.string(),
      z
        .looseObject({
          platform: z.string().optional(),
          id: z.string().optional(),
          description: z.string().optional(),
        })
        .nullable(),
    )
    .default({})
    .describe('Names `post:` may use'),
  limits: z
    .object({
      repliesPerAuthorPerDay: z
        .number()
        .int()
        .nonnegative()
        .default(5)
        .describe('Automatic replies to one author per 24 hours across all rules; 0 turns replies off'),
      breaker: z
        .object({
          perMinute: z
            .number()
            .int()
            .positive()
            .optional()
            .describe('Default per-rule ceiling per minute for every rule (absent: only rules that set perMinute)'),
          cooldown: durationSchema('a duration such as 10m or 1h').default('15m').describe('How long a tripped breaker pauses a rule'),
          target: z.string().optional().describe('The target a tripped breaker escalates to'),
        })
        .default({ cooldown: '15m' }),
    })
    .default({ repliesPerAuthorPerDay: 5, breaker: { cooldown: '15m' } }),
  matching: z
    .object({
      compounds: z
        .array(z.string().regex(/\S\s+\S/, 'a compound of two or more words, written apart (کار آفرین)'))
        .default([])
        .describe('Persian compounds that match joined, with a ZWNJ or apart, on top of the built-in ones'),
      informal: z
        .record(
          z.string().regex(/^[a-z]{2,3}$/, 'a language code such as fa'),
          z.record(z.string().regex(/^\S+$/, 'one word'), z.string().regex(/^\S+$/, 'one word')),
        )
        .default({})
        .describe('Per language, informal word: formal word (fa: { میرم: میروم }), matched as one, on top of the built-in ones'),
    })
    .strict()
    .default({ compounds: [], informal: {} })
    .describe("How text operators read words: the team's compounds and informal spellings"),
});
export type FoghornConfig = z.infer<typeof foghornConfigSchema>;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const CONFIG_FILE_NAME = 'foghorn.config.yaml';

/** Checks the config: its own sections here, each extension's with that extension; `source` names the file in messages. */
export function parseFoghornConfig(value: unknown, source: string | undefined, options: RuleLanguageOptions): FoghornConfig {
  const file = source ?? CONFIG_FILE_NAME;
  const parsed = foghornConfigSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new RuleConfigError(`${file} is invalid:\n${lines.join('\n')}`, parsed.error.issues);
  }
  for (const extension of options.extensions) {
    for (const [section, check] of Object.entries(extension.configSections ?? {})) {
      try {
        check((parsed.data as Record<string, unknown>)[section], file, parsed.data);
      } catch (error) {
        throw new RuleConfigError((error as Error).message);
      }
    }
  }
  for (const [field, target] of [['limits.breaker.target', parsed.data.limits.breaker.target]] as const) {
    if (target !== undefined && !(target in parsed.data.targets)) {
      throw new RuleConfigError(`${file} is invalid:\n  ${field}: unknown target '${target}' (declare it under targets:)`);
    }
  }
  return parsed.data;
}

export function readFoghornConfig(path: string, options: RuleLanguageOptions): FoghornConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RuleConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new RuleConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  return parseFoghornConfig(value, path, options);
}

/**
 * Where the config lives: the explicit path, else FOGHORN_CONFIG, else the nearest
 * foghorn.config.yaml in the rules folder or its parents, else the working directory's.
 */
export function findConfigPath(rulesDir: string, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const fromEnv = env.FOGHORN_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  let dir = resolve(rulesDir);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const inCwd = resolve(CONFIG_FILE_NAME);
  return existsSync(inCwd) ? inCwd : undefined;
}
