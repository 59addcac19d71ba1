import { type Provided, resolveProvided } from '../core/provided.js';
import type { CrisisKit } from '../crisis/crisis-kit.js';
import type { CrisisSweepReport } from '../crisis/sweep.js';
import type { Adapters } from './adapters.js';
import { crisisKitOf } from './crisis-kit-of.js';
import { stage } from './stage.js';

/** The scheduled sweep (EventBridge, every minute): fire due SLA timers, end quiet spikes, expire approvals. */
export function createSweepHandler(kit: Provided<Pick<CrisisKit, 'sweep'>>, onReport: (report: CrisisSweepReport) => void = () => {}) {
  return async (): Promise<CrisisSweepReport> => {
    const report = await (await resolveProvided(kit)).sweep();
    onReport(report);
    return report;
  };
}

/** The sweep stage over the adapters' crisis stores; `onReport` sees every run (the Lambda turns it into metrics). */
export function sweepStage(adapters: Provided<Adapters>, onReport?: (report: CrisisSweepReport) => void): () => Promise<CrisisSweepReport> {
  return stage(adapters, async (wired) => createSweepHandler(await crisisKitOf(wired), onReport));
}
