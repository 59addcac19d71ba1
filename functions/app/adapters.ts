import type { AnalyticsStore } from '../analytics/ports.js';
import type { AssignmentStore } from '../assignment/ports.js';
import type { HttpSender } from '../core/http.js';
import type {
  ActionStore,
  Clock,
  CommandQueue,
  CursorStore,
  DeadLetters,
  DecisionStore,
  EventPublisher,
  EventStore,
} from '../core/ports.js';
import type { RuleState } from '../core/rule-set.js';
import type { Settings } from '../core/settings.js';
import type { CrisisStores } from '../crisis/crisis-kit.js';
import type { EmailSender } from '../escalation/email.js';
import type { SendRate } from '../platforms/send-rates.js';
import type { PostStore } from '../posts/ports.js';
import type { FoghornConfig } from '../rules/config.js';
import type { AppMetrics } from './app-metrics.js';
import type { RuleSource } from './rule-source.js';
import type { SendRateLimiter } from './send-rate-guard.js';

/**
 * Where the assembly reports what happened: Powertools Logger's JSON lines on both runtimes (logger.ts), at the
 * level FOGHORN_LOG_LEVEL sets.
 */
export interface AppLogger {
  /** Present only when debug lines are wanted: one per event and per action (debug-logging.ts). */
  debug?(message: string, detail?: Record<string, unknown>): void;
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  error(message: string, detail?: Record<string, unknown>): void;
  /**
   * A line for the person at the terminal, printed as it is and not as a log record: the start banner, the
   * one-time sign-in link. Only the local runtime has one; without it the line is logged at info.
   */
  announce?(text: string): void;
}

/** The team config (foghorn.config.yaml), read when a stage first needs it. */
export interface TeamConfigSource {
  /** Reads it before first use; cheap after. */
  load(): Promise<void>;
  /** As last loaded: the bundled file on AWS; locally, the one the rules in force were compiled against. */
  current(): FoghornConfig;
}

/**
 * Everything the pipeline needs from the outside world, and nothing else. The AWS builder
 * (aws-adapters.ts) and the local builder (local-adapters.ts) each make one; the stages in this folder
 * are wired from it the same way on both runtimes. On AWS a member is built when first used, so a
 * function needs only the environment of the members it uses.
 */
export interface Adapters {
  clock: Clock;
  /** Secrets and environment values by their `FOGHORN_*` name. */
  settings: Settings;
  /** Record every outbound call instead of sending it, whatever credentials are set (FOGHORN_SANDBOX). */
  forceSandbox: boolean;
  /** How long a claimed action is protected from a second worker (FOGHORN_ACTION_LEASE_MS). */
  actionLeaseMs: number;
  logger: AppLogger;
  /** Counts webhooks, actions by status and spikes (app-metrics.ts); nothing is counted without it. */
  metrics?: AppMetrics;

  events: EventStore;
  actions: ActionStore;
  decisions: DecisionStore;
  ruleState: RuleState;
  cursors: CursorStore;
  crisisStores: CrisisStores;
  /** Response-time analytics (hourly buckets, conversation clocks); without it nothing is recorded (analytics-recording.ts). */
  analytics?: AnalyticsStore;
  /** Scheduled posts and their due-time index; without it the posts API and the sweep's publishing are off. */
  posts?: PostStore;
  /** Conversations' owners, round-robin turns and open counts; without it `assign` actions fail and the assignment API answers 404. */
  assignments?: AssignmentStore;

  /** The bus events are published on (EventBridge, the local bus). */
  bus: EventPublisher;
  /** The actions queue. */
  actionsQueue: CommandQueue;
  /** The actions queue's dead letters: commands that failed for good. */
  deadLetters: DeadLetters;
  /** Keeps an actions-queue message invisible for `ms` before its next delivery (SQS ChangeMessageVisibility). */
  delayAction(receiptHandle: string, ms: number): Promise<void>;

  live: HttpSender;
  sandbox: HttpSender;
  /**
   * Each platform's send rate and the buckets every act instance shares; without it replies and posts go as fast as
   * they come. `liveOnly`: sends recorded in sandbox mode reach no platform and are not held back (the local runtime;
   * on AWS a rehearsal in sandbox mode is paced as the real thing would be).
   */
  sendRates?: { limiter: SendRateLimiter; rates: Readonly<Record<string, SendRate>>; liveOnly?: boolean };
  /** Email escalations; without it they are recorded, as in sandbox mode. */
  email?: EmailSender;

  /** The rule set in force. */
  rules: RuleSource;
  /** foghorn.config.yaml: escalation targets and the crisis section, among the rest. */
  teamConfig: TeamConfigSource;
  /** Where people reach Foghorn (links in escalation digests); known locally only once the server listens. */
  foghornBaseUrl(): string;
}
