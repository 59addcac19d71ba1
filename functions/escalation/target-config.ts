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
 *     support:  { type: zendesk, url: https://acme.zendesk.com }       # email, token: FOGHORN_ZENDESK_EMAIL, FOGHORN_ZENDESK_API_TOKEN
 *     care:     { type: freshdesk, url: https://acme.freshdesk.com }   # apiKey: FOGHORN_FRESHDESK_API_KEY
 *     it:       { type: jira, url: https://acme.atlassian.net, project: SUP }  # email, token: FOGHORN_JIRA_EMAIL, FOGHORN_JIRA_API_TOKEN
 *     ops-chat: { type: teams, url: FOGHORN_TEAMS_OPS_WEBHOOK }
 *     crm:      { type: webhook, url: https://crm.example.com/hooks/foghorn, secret: FOGHORN_CRM_WEBHOOK_SECRET }
 *
 * Helpdesk targets (zendesk, freshdesk, jira) keep one ticket per conversation (docs/routing.md).
 *
 * A target without a `type` only records the escalation (audit log and action record).
 */
const secretRef = z
  .string()
  .regex(/^FOGHORN_[A-Z0-9_]+$/, 'the name of a FOGHORN_* setting that holds the secret (never the secret itself)');
const httpUrl = z.url({ protocol: /^https?$/ });
/** Credentials and signed bodies go over HTTPS; plain HTTP only to this machine (a loopback server in tests). */
const secureUrl = httpUrl.refine((url) => {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}, 'an https:// URL (plain http only to 127.0.0.1 or localhost)');
/** A helpdesk tag or label: no spaces (Zendesk splits tags on them, Jira refuses them). */
const tag = z.string().regex(/^[^\s,]{1,80}$/, 'a tag without spaces or commas');
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
  z
    .object({
      ...common,
      type: z.literal('zendesk'),
      url: secureUrl.describe('The instance (https://<subdomain>.zendesk.com); Foghorn appends /api/v2/tickets.json and the ticket paths'),
      email: secretRef.default('FOGHORN_ZENDESK_EMAIL'),
      token: secretRef.default('FOGHORN_ZENDESK_API_TOKEN'),
      tags: z.array(tag).default([]),
      priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('freshdesk'),
      url: secureUrl.describe('The helpdesk (https://<domain>.freshdesk.com); Foghorn appends /api/v2/tickets and the ticket paths'),
      apiKey: secretRef.default('FOGHORN_FRESHDESK_API_KEY'),
      tags: z.array(tag).default([]),
      /** 1 low, 2 medium, 3 high, 4 urgent. */
      priority: z.number().int().min(1).max(4).optional(),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('jira'),
      url: secureUrl.describe('The site (https://<site>.atlassian.net); Foghorn appends /rest/api/3/issue and the issue paths'),
      project: z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key (SUP)'),
      issueType: z.string().min(1).default('Task'),
      email: secretRef.default('FOGHORN_JIRA_EMAIL'),
      token: secretRef.default('FOGHORN_JIRA_API_TOKEN'),
      labels: z.array(tag).default([]),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('teams'),
      url: secretRef.describe('The FOGHORN_* setting that holds the incoming webhook or Workflows URL (the URL is the secret)'),
    })
    .strict(),
  z
    .object({
      ...common,
      type: z.literal('webhook'),
      url: secureUrl.describe('The endpoint itself, path included, that the signed JSON body is posted to'),
      secret: secretRef.describe('The FOGHORN_* setting that holds the HMAC key of X-Foghorn-Signature'),
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
    case 'zendesk':
    case 'jira':
      return [target.email, target.token];
    case 'freshdesk':
      return [target.apiKey];
    case 'teams':
      return [target.url];
    case 'webhook':
      return [target.secret];
    case 'email':
    case 'record':
      return [];
  }
}

/** The targets that open a ticket per conversation. */
export type HelpdeskTarget = Extract<EscalationTarget, { type: 'zendesk' | 'freshdesk' | 'jira' }>;

export function isHelpdeskTarget(target: EscalationTarget): target is HelpdeskTarget {
  return target.type === 'zendesk' || target.type === 'freshdesk' || target.type === 'jira';
}
