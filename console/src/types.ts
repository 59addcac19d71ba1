/** The shapes the console reads from Foghorn's API (docs/api.md). */

export interface FeedEvent {
  id: string;
  platform: string;
  kind: string;
  text: string;
  lang?: string;
  author: { id: string; handle?: string; name?: string; verified?: boolean; isSelf?: boolean };
  channel: { id: string; name?: string };
  thread?: { id?: string; replyToId?: string };
  createdAt: string;
  receivedAt: string;
  url?: string;
  sentByFoghorn?: boolean;
  tags?: string[];
  /** Its conversation's owner (listings and `/api/events/{id}`), absent when nobody owns it. */
  owner?: Owner | null;
}

/** Who answers a conversation (docs/routing.md#assignment): a person, a team, or both. */
export interface Owner {
  person?: string;
  team?: string;
  since: string;
  /** `rule:<id>` or `user:<name>`. */
  by: string;
  open?: boolean;
  why?: string;
}

/** A team as `GET /api/teams` lists it. */
export interface Team {
  id: string;
  /** The config's `name:` for it (absent from runtimes before it had one: the id stands in). */
  name?: string;
  strategy: string;
  lead?: string;
  members: Array<{ id: string; name: string; user?: string; open: number; inHours: boolean }>;
}

export type ActionStatus = 'in-progress' | 'retrying' | 'succeeded' | 'failed' | 'held' | 'unknown';

export interface ActionRecord {
  id: string;
  eventId: string;
  ruleId: string;
  type: string;
  status: ActionStatus;
  mode?: 'live' | 'sandbox';
  request?: { method: string; url: string; body?: string };
  error?: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

export interface Decision {
  rules: string[];
  decidedAt: string;
}

export interface Approval {
  id: string;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  reason: string;
  heldBy: 'rule' | 'crisis' | 'guard' | 'outcome';
  command?: { id: string; eventId: string; ruleId: string; type: string; params: Record<string, unknown>; event: FeedEvent };
  createdAt: string;
  expiresAt: string;
  decidedAt?: string;
  decidedBy?: string;
  decisionNote?: string;
  dispatchedAt?: string;
}

export interface CrisisState {
  on: boolean;
  since?: string;
  by?: string;
  why?: string;
  version: number;
}

export interface Spike {
  ruleId: string;
  incident: string;
  startedAt: string;
  lastEventAt: string;
  count: number;
  quietMs: number;
}

export interface AuditEntry {
  id: string;
  at: string;
  kind: string;
  what: string;
  who?: string;
  why?: string;
  eventId?: string;
  ruleId?: string;
  commandId?: string;
  detail?: Record<string, unknown>;
}

export interface RuleSummary {
  id: string;
  description?: string;
  file: string;
  enabled: boolean;
  hits24h: number;
  heldBack24h: number;
  lastFired?: string;
  breaker: 'none' | 'closed' | 'open';
  perMinute?: number;
}

export type ReloadStatus = { status: 'loaded'; at: string } | { status: 'rejected'; at: string; error: string; problems: number };

export interface DeadLetter {
  id: string;
  body: Record<string, unknown>;
}

export interface ConversationAnswer {
  eventId: string;
  commandId: string;
  ruleId: string;
  type: string;
  text?: string;
  status: ActionStatus | 'queued';
  mode?: 'live' | 'sandbox';
  at?: string;
}

export interface Conversation {
  eventId: string;
  platform: string;
  channel: { id: string; name?: string };
  messages: Array<{ event: FeedEvent; from: 'customer' | 'team' | 'foghorn' }>;
  answers: ConversationAnswer[];
  timers: Array<{ id: string; ruleId: string; eventId: string; after: string; dueAt: string; startedAt: string }>;
  complete: boolean;
}

/** A helpdesk ticket of a conversation, as `/api/events/{id}` lists it. */
export interface ConversationTicket {
  target: string;
  helpdesk: 'zendesk' | 'freshdesk' | 'jira';
  status: 'opening' | 'open';
  id?: string;
  url?: string;
}

export type Role = 'viewer' | 'agent' | 'lead' | 'admin';

export interface Me {
  name: string;
  role: Role;
  /** The person (people: in the team config) this console user is, and their teams. */
  person?: string;
  teams?: string[];
}

/** A scheduled post (docs/posts.md). */
export interface ScheduledPost {
  id: string;
  channel: string;
  platform: string;
  text: string;
  lang?: string;
  approval: boolean;
  at: string;
  status: 'scheduled' | 'suspended' | 'publishing' | 'published' | 'cancelled';
  overdue: boolean;
  created: { at: string; by: string };
  suspended?: { at: string; by: string; why?: string };
  released?: { at: string; by: string };
  cancelled?: { at: string; by: string; why?: string };
  publishedAt?: string;
  commandId?: string;
}
