import { createHash } from 'node:crypto';
import type { ActionCommand } from '../core/action-command.js';

/** What a human needs to act: the rule, how bad, what happened (text, author, link), how many, and where to look. */
export interface Escalation {
  ruleId: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  summary: string;
  /** One incident, one page: PagerDuty's dedup_key, Opsgenie's alias. */
  incident: string;
  /** Ask the target to resolve or close the incident instead of raising it. */
  resolve: boolean;
  event: { id: string; platform: string; kind: string; text: string; author: string; link?: string; at: string };
  /** Matching events behind it (spikes), when known. */
  count?: number;
  /** The event in Foghorn's API. */
  foghornLink: string;
}

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const MAX_TEXT = 500;

/** PagerDuty allows 255 characters, Opsgenie 512: long incident names become a stable digest. */
export function incidentKey(incident: string): string {
  return incident.length <= 200 ? incident : `foghorn-${createHash('sha256').update(incident).digest('hex').slice(0, 40)}`;
}

export function escalationFrom(command: ActionCommand, foghornBaseUrl: string): Escalation {
  const { params, event } = command;
  const severity = SEVERITIES.find((candidate) => candidate === params.severity) ?? 'medium';
  const incident = typeof params.incident === 'string' && params.incident !== '' ? params.incident : `foghorn:${command.ruleId}:${event.id}`;
  const author = event.author.handle ? `@${event.author.handle.replace(/^@/, '')}` : event.author.name ?? event.author.id;
  const text = event.text.length > MAX_TEXT ? `${event.text.slice(0, MAX_TEXT)}…` : event.text;
  const count = typeof params.count === 'number' ? params.count : undefined;
  return {
    ruleId: command.ruleId,
    severity,
    summary: typeof params.summary === 'string' && params.summary !== '' ? params.summary : `Rule ${command.ruleId} escalated`,
    incident: incidentKey(incident),
    resolve: params.resolve === true,
    event: { id: event.id, platform: event.platform, kind: event.kind, text, author, ...(event.url ? { link: event.url } : {}), at: event.createdAt },
    ...(count === undefined ? {} : { count }),
    foghornLink: `${foghornBaseUrl.replace(/\/+$/, '')}/api/events/${encodeURIComponent(event.id)}`,
  };
}

/** The digest as plain text (Slack, Telegram, email). */
export function digestText(escalation: Escalation): string {
  if (escalation.resolve) return `✅ Resolved [${escalation.ruleId}] ${escalation.summary}\nIncident: ${escalation.incident}`;
  const lines = [
    `🚨 [${escalation.severity.toUpperCase()}] ${escalation.summary}`,
    `Rule: ${escalation.ruleId}${escalation.count === undefined ? '' : ` · ${escalation.count} matching events`}`,
    `${escalation.event.platform} ${escalation.event.kind} from ${escalation.event.author} at ${escalation.event.at}:`,
    `> ${escalation.event.text.replace(/\n/g, '\n> ')}`,
    ...(escalation.event.link ? [`On the platform: ${escalation.event.link}`] : []),
    `In Foghorn: ${escalation.foghornLink}`,
    `Incident: ${escalation.incident}`,
  ];
  return lines.join('\n');
}
