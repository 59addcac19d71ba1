/**
 * The ceiling for the end-to-end figures: bench/bare-hmac-server.ts in its own process, flooded the way the
 * runtime is (the same signed webhooks, sender and concurrency). Its rate is what this machine can do to
 * answer a verified webhook at all, with nothing stored; the median of a few rounds, after a warm-up.
 */
import { resolve } from 'node:path';
import { startBenchProcess } from './child-process.js';
import { processCpuMs } from './process-stats.js';
import { flood, signedWebhooks } from './webhook-load.js';

export interface CeilingFigures {
  server: string;
  webhooks: number;
  concurrency: number;
  /** Answers per second of each round, in order. */
  rounds: number[];
  /** The median round. */
  webhooksPerSecond: number;
  /** Answers that were not 200, or no answer, over all rounds. */
  notOk: number;
  /** CPU time of the server process per webhook over the rounds: less sensitive to other load than the rate. */
  cpuMsPerWebhook: number | null;
}

const REPO = resolve(import.meta.dirname, '..');

export async function measureCeiling(options: {
  webhooks: number;
  concurrency: number;
  rounds: number;
  secret: string;
}): Promise<CeilingFigures> {
  const server = await startBenchProcess({
    name: 'the bare HMAC server',
    command: process.execPath,
    args: ['--import', 'tsx', 'bench/bare-hmac-server.ts'],
    cwd: REPO,
    env: { ...process.env, BARE_HMAC_SECRET: options.secret },
    ready: /bare server listening (\d+)/,
    timeoutMs: 30_000,
  });
  try {
    const url = `http://127.0.0.1:${server.ready}`;
    // A round of 4,000 lasts a fraction of a second here: the first one, still compiling, would mostly time V8.
    await flood(url, signedWebhooks('bare-warm-up', options.webhooks, options.secret), options.concurrency);
    const rounds: number[] = [];
    let notOk = 0;
    const pid = server.child.pid ?? -1;
    const cpuBefore = processCpuMs(pid);
    for (let round = 0; round < options.rounds; round++) {
      const result = await flood(url, signedWebhooks(`bare-${round}`, options.webhooks, options.secret), options.concurrency);
      rounds.push((result.accepted.length / Math.max(1, result.lastAnswerAt - result.firstSendAt)) * 1000);
      notOk += result.rejected + result.failed;
    }
    const cpuAfter = processCpuMs(pid);
    return {
      server: 'node:http, HMAC-SHA256 checked in constant time, 200',
      webhooks: options.webhooks,
      concurrency: options.concurrency,
      rounds,
      webhooksPerSecond: [...rounds].sort((a, b) => a - b)[Math.floor(rounds.length / 2)] as number,
      notOk,
      cpuMsPerWebhook:
        cpuBefore === undefined || cpuAfter === undefined ? null : (cpuAfter - cpuBefore) / (options.webhooks * options.rounds),
    };
  } finally {
    await server.stop();
  }
}
