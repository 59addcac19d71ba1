/**
 * Hook for the end-to-end figures: signed webhooks per second through the local runtime to decided
 * actions, p50/p99 latency, lost events. Filled in once the runtime can be started from a bench.
 */
export type EndToEndFigures =
  | { status: 'measured'; events: number; webhooksPerSecond: number; p50Ms: number; p99Ms: number; lost: number }
  | { status: 'not measured'; reason?: string };

export async function measureEndToEnd(): Promise<EndToEndFigures> {
  return { status: 'not measured', reason: 'the local runtime bench is not wired yet (bench/e2e.ts)' };
}
