import { createHash } from 'node:crypto';
import type { ActionCommand } from '../core/action-command.js';
import type { CanonicalEvent } from '../core/event.js';

/** One event as a digest shows it: text (truncated), author, where it is on the platform. */
export interface EscalationEvent {
  id: string;
  platform: string;
  kind: string;
  text: string;
  author: string;
  link?: string;
  at: string;
}

/** A matching event of a spike, as the digest lists it (with its link in Foghorn). */
export interface EscalationSample extends EscalationEvent {
  foghornLink: string;
}

/** What a human needs to act: the rule, how bad, what happened (text, author, link), how many, and where to look. */
export interface Escalation {
  ruleId: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  summary: string;
  /** One incident, one page: PagerDuty's dedup_key, Opsgenie's alias. */
  incident: string;
  /** Ask the target to resolve or close the incident instead of raising it. */
  resolve: boolean;
  event: EscalationEvent;
  /** Matching events behind it (spikes), when known. */
  count?: number;
  /** Spikes: the window the count is over, and the trailing average for a window of that length. */
  windowMinutes?: number;
  baseline?: number;
  /** Spikes: the most recent matching events, newest first (the opening event among them). */
  samples?: EscalationSample[];
  /** The event in Foghorn's API. */
  foghornLink: string;
}

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const MAX_TEXT = 500;
/** A spike's digest lists this many of its events, each with this much text. */
export const MAX_SAMPLES = 5;
const MAX_SAMPLE_TEXT = 280;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function authorOf(event: CanonicalEvent): string {
  return event.author.handle ? `@${event.author.handle.replace(/^@/, '')}` : (event.author.name ?? event.author.id);
}

/** How a counted event is kept for the digest (small: it is stored with the spike counters). */
export function eventSample(event: CanonicalEvent): EscalationEvent {
  return {
    id: event.id,
    platform: event.platform,
    kind: event.kind,
    text: truncate(event.text, MAX_SAMPLE_TEXT),
    author: authorOf(event),
    ...(httpLink(event.url) ? { link: event.url } : {}),
    at: event.createdAt,
  };
}

/** Only web links reach a digest (a chat client would make any other scheme clickable). */
function httpLink(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\/[^\s<>|]+$/.test(value);
}

/** Samples as they arrive in command params (from the queue): only well-formed ones are kept. */
function samplesFrom(value: unknown, foghornBase: string): EscalationSample[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const text = (field: unknown) => (typeof field === 'string' ? field : undefined);
  const samples: EscalationSample[] = [];
  for (const raw of value.slice(0, MAX_SAMPLES)) {
    if (raw === null || typeof raw !== 'object') continue;
    const r = raw as Record<string, unknown>;
    const id = text(r.id);
    if (id === undefined) continue;
    const link = httpLink(r.link) ? r.link : undefined;
    samples.push({
      id,
      platform: text(r.platform) ?? '',
      kind: text(r.kind) ?? '',
      text: truncate(text(r.text) ?? '', MAX_SAMPLE_TEXT),
      author: text(r.author) ?? '',
      ...(link ? { link } : {}),
      at: text(r.at) ?? '',
      foghornLink: foghornEventLink(foghornBase, id),
    });
  }
  return samples;
}

function foghornEventLink(base: string, eventId: string): string {
  return `${base.replace(/\/+$/, '')}/api/events/${encodeURIComponent(eventId)}`;
}

/** PagerDuty allows 255 characters, Opsgenie 512: long incident names become a stable digest. */
export function incidentKey(incident: string): string {
  return incident.length <= 200 ? incident : `foghorn-${createHash('sha256').update(incident).digest('hex').slice(0, 40)}`;
}

export function escalationFrom(command: ActionCommand, foghornBaseUrl: string): Escalation {
  const { params, event } = command;
  const severity = SEVERITIES.find((candidate) => candidate === params.severity) ?? 'medium';
  const incident =
    typeof params.incident === 'string' && params.incident !== '' ? params.incident : `foghorn:${command.ruleId}:${event.id}`;
  const count = typeof params.count === 'number' ? params.count : undefined;
  const windowMinutes = typeof params.windowMinutes === 'number' ? params.windowMinutes : undefined;
  const baseline = typeof params.baseline === 'number' && Number.isFinite(params.baseline) ? params.baseline : undefined;
  const samples = samplesFrom(params.samples, foghornBaseUrl);
  return {
    ruleId: command.ruleId,
    severity,
    summary: typeof params.summary === 'string' && params.summary !== '' ? params.summary : `Rule ${command.ruleId} escalated`,
    incident: incidentKey(incident),
    resolve: params.resolve === true,
    event: { ...eventSample(event), text: truncate(event.text, MAX_TEXT) },
    ...(count === undefined ? {} : { count }),
    ...(windowMinutes === undefined ? {} : { windowMinutes }),
    ...(baseline === undefined ? {} : { baseline }),
    ...(samples && samples.length > 0 ? { samples } : {}),
    foghornLink: foghornEventLink(foghornBaseUrl, event.id),
  };
}

/** "30 matching events in 10 min (trailing average 2.5)" for a spike; undefined for a single event. */
export function countLine(escalation: Escalation): string | undefined {
  if (escalation.count === undefined) return undefined;
  const window = escalation.windowMinutes === undefined ? '' : ` in ${escalation.windowMinutes} min`;
  const baseline = escalation.baseline === undefined ? '' : ` (trailing average ${formatNumber(escalation.baseline)})`;
  return `${escalation.count} matching events${window}${baseline}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** One sample as a line of plain text. */
export function sampleLine(sample: EscalationSample): string {
  const where = sample.link ? ` · ${sample.link}` : '';
  return `• ${sample.author} on ${sample.platform} at ${sample.at}: "${sample.text.replace(/\s*\n\s*/g, ' ')}"${where} · In Foghorn: ${sample.foghornLink}`;
}

/** The digest as plain text (Slack fallback, Telegram, email, Opsgenie's description). */
export function digestText(escalation: Escalation): string {
  if (escalation.resolve) return `✅ Resolved [${escalation.ruleId}] ${escalation.summary}\nIncident: ${escalation.incident}`;
  const counts = countLine(escalation);
  const head = [
    `🚨 [${escalation.severity.toUpperCase()}] ${escalation.summary}`,
    `Rule: ${escalation.ruleId}${counts === undefined ? '' : ` · ${counts}`}`,
  ];
  if (escalation.samples) {
    return [
      ...head,
      `The latest ${escalation.samples.length}${escalation.count === undefined ? '' : ` of ${escalation.count}`}:`,
      ...escalation.samples.map(sampleLine),
      `Incident: ${escalation.incident}`,
    ].join('\n');
  }
  return [
    ...head,
    `${escalation.event.platform} ${escalation.event.kind} from ${escalation.event.author} at ${escalation.event.at}:`,
    `> ${escalation.event.text.replace(/\n/g, '\n> ')}`,
    ...(escalation.event.link ? [`On the platform: ${escalation.event.link}`] : []),
    `In Foghorn: ${escalation.foghornLink}`,
    `Incident: ${escalation.incident}`,
  ].join('\n');
}
