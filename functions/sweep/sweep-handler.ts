import type { CrisisKit } from '../crisis/crisis-kit.js';
import type { CrisisSweepReport } from '../crisis/sweep.js';
import { type Provided, resolveProvided } from '../core/provider.js';

/** The scheduled sweep (EventBridge, every minute): fire due SLA timers, end quiet spikes, expire approvals. */
export function createSweepHandler(kit: Provided<Pick<CrisisKit, 'sweep'>>, onReport: (report: CrisisSweepReport) => void = () => {}) {
  return async (): Promise<CrisisSweepReport> => {
    const report = await (await resolveProvided(kit)).sweep();
    onReport(report);
    return report;
  };
}
