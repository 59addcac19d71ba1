import { z } from 'zod';
import { FoghornError } from '../core/errors.js';
import { DEFAULT_TELEGRAM_API_URL } from '../platforms/telegram/client.js';
import { OPSGENIE_API } from './opsgenie.js';
import { PAGERDUTY_EVENTS_URL } from './pagerduty.js';
import { SLACK_API_URL } from './slack.js';

/**
 * Escalation targets, by name, under `targets:` in foghorn.config.yaml. Secrets are never written
 * there: a target names the FOGHORN_* setting that holds its secret (environment or .env locally,
 * the Secrets Manager secret on AWS).
 *
 *   targets:
 *     oncall:   { type: pagerduty, routingKey: FOGHORN_PAGERDUTY_ROUTING_KEY }
 *     managers: { type: opsgenie, apiKey: FOGHORN_OPSGENIE_API_KEY, region: eu }
 *     team:     { type: slack-webhook, url: FOGHORN_SLACK_TEAM_WEBHOOK }
 *     social:   { type: slack-channel, channel: C0123456 }            # token: FOGHORN_SLACK_BOT_TOKEN
 *     pr-desk:  { type: email, from: foghorn@example.com, to: [pr@example.com] }
 *     war-room: { type: telegram, chatId: "-1001234567890" }          # token: FOGHORN_TELEGRAM_BOT_TOKEN
 *
 * A target without a `type` only records the escalation (audit log and action record).
 */
const secretRef = z
  .string()
  .regex(/^FOGHORN_[A-Z0-9_]+$/, 'the name of a FOGHORN_* setting that holds the secret (never the secret itself)');
const httpUrl = z.url({ protocol: /^https?$/ });
const common = { description: z.string().optional().describe('Who this is, for people reading the config and the audit') };
const baseUrl = (service: string, standard: string, paths: string) =>
  httpUrl
    .optional()
    .describe(
      `The base URL of the ${service} API (default ${standard}); Foghorn appends ${paths}. Another endpoint, such as a test server.`,
    );

/** What `url` means differs by type: PagerDuty's is the whole endpoint, the others' a base the API paths follow. */
export const targetSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...common,
      type: z.literal('pagerduty'),
      routingKey: secretRef.describe('The FOGHORN_* setting that holds the Events API v2 integration (routing) key'),
      url: httpUrl
        .optional()
        .describe(`The full Events API v2 endpoint that events are posted to, path included (default ${PAGERDUTY_EVENTS_URL})`),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('opsgenie'),
      apiKey: secretRef.describe('The FOGHORN_* setting that holds the Opsgenie API key'),
      region: z.enum(['us', 'eu']).default('us').describe('us: api.opsgenie.com; eu: api.eu.opsgenie.com'),
      url: baseUrl(
        'Opsgenie',
        `${OPSGENIE_API.us}, or ${OPSGENIE_API.eu} for region eu; it replaces the region's`,
        '/v2/alerts (and /v2/alerts/<alias>/close to resolve)',
      ),
      responders: z
        .array(z.object({ type: z.enum(['team', 'user', 'escalation', 'schedule']), name: z.string().min(1) }).strict())
        .optional(),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('slack-webhook'),
      url: secretRef.describe(
        'The FOGHORN_* setting that holds the incoming webhook URL (the URL is the secret, so it is never written here)',
      ),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('slack-channel'),
      channel: z.string().min(1).describe('The channel id (C0123456) the bot posts to'),
      token: secretRef.default('FOGHORN_SLACK_BOT_TOKEN').describe('The FOGHORN_* setting that holds the bot token'),
      url: baseUrl('Slack Web', SLACK_API_URL, '/chat.postMessage'),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('email'),
      from: z.email().describe('The sender (an identity verified in SES on AWS)'),
      to: z.array(z.email()).min(1),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('telegram'),
      chatId: z
        .union([z.string().min(1), z.number().int()])
        .transform(String)
        .describe('The chat the bot posts to (a group id such as -1001234567890)'),
      token: secretRef.default('FOGHORN_TELEGRAM_BOT_TOKEN').describe('The FOGHORN_* setting that holds the bot token'),
      url: baseUrl('Telegram Bot', DEFAULT_TELEGRAM_API_URL, '/bot<token>/sendMessage'),
    })
    .strict(),
  z.object({ ...common, type: z.literal('record') }).strict(),
]);

/** The `targets:` section as an editor sees it: a typed target, or only a description (recorded in the audit log only). */
export const targetsSectionSchema = z
  .record(z.string(), z.union([targetSchema, z.object(common).strict(), z.null()]))
  .describe('Escalation targets by name, which `escalate:` and the breaker use; a target without `type` is only recorded');
export type EscalationTarget = z.infer<typeof targetSchema>;
export type TargetType = EscalationTarget['type'];

export class TargetConfigError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 400, detail });
  }
}

/** Parses every target; one error lists every malformed one with its name and field. */
export function parseTargets(raw: Readonly<Record<string, unknown>>, source = 'foghorn.config.yaml'): Map<string, EscalationTarget> {
  const targets = new Map<string, EscalationTarget>();
  const problems: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const candidate = value === null || value === undefined ? {} : value;
    const typed = typeof candidate === 'object' && !('type' in candidate) ? { ...candidate, type: 'record' } : candidate;
    const parsed = targetSchema.safeParse(typed);
    if (parsed.success) targets.set(name, parsed.data);
    else
      for (const issue of parsed.error.issues)
        problems.push(`  targets.${name}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
  }
  if (problems.length > 0) throw new TargetConfigError(`${source}: invalid escalation targets:\n${problems.join('\n')}`, problems);
  return targets;
}

/** The settings a target needs to send live (absent ones mean sandbox mode). */
export function targetSecretNames(target: EscalationTarget): string[] {
  switch (target.type) {
    case 'pagerduty':
      return [target.routingKey];
    case 'opsgenie':
      return [target.apiKey];
    case 'slack-webhook':
      return [target.url];
    case 'slack-channel':
      return [target.token];
    case 'telegram':
      return [target.token];
    case 'email':
    case 'record':
      return [];
  }
}
