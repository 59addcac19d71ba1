/**
 * The end-to-end bench's load: signed `generic` webhooks, built and signed before the clock starts, posted
 * over keep-alive connections with `node:http` (cheaper per request than fetch, so the sender takes less of
 * the machine from the server it measures). Either flooded (a fixed number in flight, each sender posting its
 * next webhook as soon as the previous one is answered) or paced (sent on a schedule, whatever the answers).
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Webhook {
  /** The canonical event id Foghorn gives it (`generic:<id>`). */
  eventId: string;
  body: string;
  signature: string;
}

export interface LoadResult {
  webhooks: number;
  /** Event ids answered 2xx. */
  accepted: string[];
  /** Answered, but not 2xx. */
  rejected: number;
  /** No answer (connection refused or reset). */
  failed: number;
  /** Date.now() just before the first request was written. */
  firstSendAt: number;
  /** Date.now() when the last answer arrived. */
  lastAnswerAt: number;
}

/** One webhook per author: the always-on reply cap (replies per author per day) must not hold any back. */
export function signedWebhooks(run: string, count: number, secret: string): Webhook[] {
  return Array.from({ length: count }, (_, index) => {
    const id = `${run}-${index}`;
    const body = JSON.stringify({
      id,
      kind: 'message',
      text: `hello, order ${index} has not arrived yet`,
      author: { id: `author-${id}`, name: 'Ada' },
      channel: { id: 'bench' },
    });
    return { eventId: `generic:${id}`, body, signature: `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
  });
}

export async function flood(url: string, webhooks: readonly Webhook[], concurrency: number): Promise<LoadResult> {
  const poster = new Poster(url, concurrency);
  let next = 0;
  const sender = async (): Promise<void> => {
    while (next < webhooks.length) await poster.post(webhooks[next++] as Webhook);
  };
  poster.start();
  await Promise.all(Array.from({ length: concurrency }, sender));
  return poster.finish(webhooks.length);
}

/** Sends webhook i at i / ratePerSecond s after the first; at most `maxInFlight` connections (others wait for one). */
export async function paced(url: string, webhooks: readonly Webhook[], ratePerSecond: number, maxInFlight = 256): Promise<LoadResult> {
  const poster = new Poster(url, maxInFlight);
  const inFlight: Array<Promise<void>> = [];
  const started = performance.now();
  poster.start();
  let next = 0;
  while (next < webhooks.length) {
    const due = Math.min(webhooks.length, Math.floor(((performance.now() - started) * ratePerSecond) / 1000) + 1);
    while (next < due) inFlight.push(poster.post(webhooks[next++] as Webhook));
    await sleep(1);
  }
  await Promise.all(inFlight);
  return poster.finish(webhooks.length);
}

class Poster {
  private readonly agent: Agent;
  private readonly target: URL;
  private readonly accepted: string[] = [];
  private rejected = 0;
  private failed = 0;
  private firstSendAt = 0;
  private lastAnswerAt = 0;

  constructor(url: string, maxSockets: number) {
    this.target = new URL('/webhooks/generic', url);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  start(): void {
    this.firstSendAt = Date.now();
  }

  post(webhook: Webhook): Promise<void> {
    return new Promise<void>((done) => {
      let settled = false;
      const settle = (outcome: 'accepted' | 'rejected' | 'failed'): void => {
        if (settled) return;
        settled = true;
        this.lastAnswerAt = Date.now();
        if (outcome === 'accepted') this.accepted.push(webhook.eventId);
        else if (outcome === 'rejected') this.rejected++;
        else this.failed++;
        done();
      };
      const sent = request(
        this.target,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(webhook.body),
            'x-foghorn-signature': webhook.signature,
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          response.once('error', () => settle('failed'));
          response.once('end', () => settle(status >= 200 && status < 300 ? 'accepted' : 'rejected'));
          response.resume();
        },
      );
      sent.once('error', () => settle('failed'));
      sent.end(webhook.body);
    });
  }

  finish(webhooks: number): LoadResult {
    this.agent.destroy();
    return {
      webhooks,
      accepted: this.accepted,
      rejected: this.rejected,
      failed: this.failed,
      firstSendAt: this.firstSendAt,
      lastAnswerAt: this.lastAnswerAt,
    };
  }
}
