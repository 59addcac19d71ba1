import type { AuditRecord, Clock } from '../core/ports.js';
import type { ApiAnswer, ApiRoute } from '../crisis/crisis-api-routes.js';
import { withoutSecrets } from './without-secrets.js';

/** A dead letter as the API shows it: its id in its queue and its body (a command, or an event), parsed. */
export interface DeadLetter {
  id: string;
  body: unknown;
}

/**
 * One queue's dead letters: the local durable queue's, or on AWS the actions dead-letter queue in SQS
 * (functions/aws/sqs-dead-letter-queue.ts). `redrive` answers what it sent back: a count locally, where the move is
 * done when it answers; on AWS the number waiting when SQS's move task started (about that many) and the task.
 */
export interface DeadLetterQueue {
  list(limit: number): Promise<DeadLetter[]>;
  redrive(): Promise<{ redriven: number | string[]; task?: string }>;
}

/** Where a redrive is recorded: the audit log, and the clock that dates it. */
export interface RedriveAudit {
  record(entry: AuditRecord): Promise<void>;
  clock: Clock;
}

/** The most dead letters one listing shows per queue. */
export const DEAD_LETTERS_LISTED = 1000;

/**
 * The name of the error a queue throws when it refuses to start a redrive, such as SQS while its move task from the
 * same queue is still running (one at a time): answered 409 with its message.
 */
export const REDRIVE_REFUSED = 'RedriveRefusedError';

/**
 * `GET /api/dead-letters` and `POST /api/dead-letters/{queue}/redrive`, over the queues a runtime has dead letters of
 * (`events` and `actions` locally, `actions` on AWS). Without any, each answers 404 naming why. Redriving needs the
 * agent role (functions/auth/api-access.ts), on both runtimes.
 */
export function deadLetterRoutes(queues: Readonly<Record<string, DeadLetterQueue>> | undefined, audit?: RedriveAudit): ApiRoute[] {
  const names = Object.keys(queues ?? {});
  return [
    {
      method: 'GET',
      path: '/api/dead-letters',
      handle: async (): Promise<ApiAnswer> => {
        if (!queues) return unserved();
        const listed = await Promise.all(names.map(async (name) => [name, await queues[name]!.list(DEAD_LETTERS_LISTED)] as const));
        return { status: 200, body: withoutSecrets({ deadLetters: Object.fromEntries(listed) }) };
      },
    },
    {
      method: 'POST',
      path: '/api/dead-letters/{queue}/redrive',
      handle: async ({ params, body }): Promise<ApiAnswer> => {
        if (!queues) return unserved();
        const name = params.queue ?? '';
        const queue = Object.hasOwn(queues, name) ? queues[name] : undefined;
        if (!queue) return { status: 404, body: { error: `no queue '${name}'`, detail: { queues: names } } };
        try {
          const answer = await queue.redrive();
          await audit?.record(redriveEntry(name, answer.redriven, whoOf(body), audit.clock.now()));
          return { status: 200, body: answer };
        } catch (error) {
          if (error instanceof Error && error.name === REDRIVE_REFUSED)
            return { status: 409, body: { error: error.message, detail: { queue: name } } };
          throw error;
        }
      },
    },
  ];
}

/**
 * A redrive is a person's decision, audited as approvals and the crisis switch are: with who made it (the signed-in
 * user or the person the API token's caller names, which the sign-in layer sets in the body) and how many went back.
 */
function redriveEntry(queue: string, redriven: number | string[], who: string, at: Date): AuditRecord {
  const count = typeof redriven === 'number' ? redriven : redriven.length;
  return {
    id: `redrive:${queue}:${at.toISOString()}`,
    at: at.toISOString(),
    kind: 'action',
    what: 'dead-letters.redriven',
    who,
    detail: { queue, redriven: count },
  };
}

/** The body's `who` (set by the sign-in layer on both runtimes); `unknown` when none names one. */
function whoOf(body: Buffer): string {
  try {
    const fields: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    const who = fields !== null && typeof fields === 'object' ? (fields as Record<string, unknown>).who : undefined;
    return typeof who === 'string' && who.trim() !== '' ? who : 'unknown';
  } catch {
    return 'unknown';
  }
}

function unserved(): ApiAnswer {
  return { status: 404, body: { error: 'this runtime serves no dead letters', detail: null } };
}
