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
export function deadLetterRoutes(queues: Readonly<Record<string, DeadLetterQueue>> | undefined): ApiRoute[] {
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
      handle: async ({ params }): Promise<ApiAnswer> => {
        if (!queues) return unserved();
        const name = params.queue ?? '';
        const queue = Object.hasOwn(queues, name) ? queues[name] : undefined;
        if (!queue) return { status: 404, body: { error: `no queue '${name}'`, detail: { queues: names } } };
        try {
          return { status: 200, body: await queue.redrive() };
        } catch (error) {
          if (error instanceof Error && error.name === REDRIVE_REFUSED)
            return { status: 409, body: { error: error.message, detail: { queue: name } } };
          throw error;
        }
      },
    },
  ];
}

function unserved(): ApiAnswer {
  return { status: 404, body: { error: 'this runtime serves no dead letters', detail: null } };
}
