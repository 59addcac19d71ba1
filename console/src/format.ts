/** Plain words for what Foghorn records: times, durations, platforms, languages, kinds and statuses. */

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndClock = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** 14:05 today, 2 Dec 14:05 on another day. */
export function when(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toDateString() === new Date().toDateString() ? clock.format(date) : dayAndClock.format(date);
}

export function exactly(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : full.format(date);
}

/** 3 min, 1 h 5 min, 2 days. */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

export function ago(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const ms = now - Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  if (ms < 45_000) return 'just now';
  return `${duration(ms)} ago`;
}

const PLATFORMS: Record<string, string> = {
  x: 'X',
  facebook: 'Facebook',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
  slack: 'Slack',
  discord: 'Discord',
  vk: 'VK',
  reddit: 'Reddit',
  generic: 'Generic',
};

export function platformName(platform: string): string {
  return PLATFORMS[platform] ?? platform;
}

let languages: Intl.DisplayNames | undefined;
export function languageName(code: string | undefined): string {
  if (!code) return 'Not known';
  try {
    languages ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return languages.of(code) ?? code;
  } catch {
    return code;
  }
}

const KINDS: Record<string, string> = {
  message: 'Message',
  mention: 'Mention',
  comment: 'Comment',
  reply: 'Reply',
  review: 'Review',
  dm: 'Direct message',
  post: 'Post',
  reaction: 'Reaction',
  'sla.breached': 'Waited too long',
  'ticket.solved': 'Ticket solved',
  system: 'Platform notice',
  other: 'Other',
};

export function kindName(kind: string): string {
  return KINDS[kind] ?? kind;
}

const ACTION_TYPES: Record<string, string> = {
  reply: 'Reply',
  post: 'Post',
  tag: 'Tag',
  hold: 'Hold for approval',
  escalate: 'Alert',
  crisis: 'Crisis switch',
};

export function actionName(type: string): string {
  return ACTION_TYPES[type] ?? type;
}

const STATUSES: Record<string, string> = {
  'in-progress': 'Sending',
  retrying: 'Will try again',
  succeeded: 'Done',
  failed: 'Failed',
  held: 'Waiting for approval',
  unknown: 'May have been sent',
  queued: 'Queued',
};

export function statusName(status: string): string {
  return STATUSES[status] ?? status;
}

export const STATUS_ORDER = ['succeeded', 'held', 'in-progress', 'retrying', 'unknown', 'failed'] as const;

const HELD_BY: Record<string, string> = {
  rule: 'Its rule asks a person to approve it',
  crisis: 'Crisis mode is on',
  guard: 'The safety check stopped it',
  outcome: 'It may already have been sent',
};

export function heldByName(heldBy: string): string {
  return HELD_BY[heldBy] ?? heldBy;
}

/** Only web links: a post's address is shown as a link when it is http(s). */
export function webLink(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export function authorName(author: { id: string; handle?: string; name?: string }): string {
  return author.name ?? (author.handle ? `@${author.handle.replace(/^@/, '')}` : author.id);
}

export function count(n: number): string {
  return n.toLocaleString('en');
}
