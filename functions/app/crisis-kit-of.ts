import { CrisisKit } from '../crisis/crisis-kit.js';
import type { Adapters } from './adapters.js';
import { countingAudit } from './app-metrics.js';
import { emitEvent } from './emit-event.js';

const kits = new WeakMap<Adapters, Promise<CrisisKit>>();

/**
 * The crisis kit over the adapters, built once per adapter set: crisis mode, approvals, escalations,
 * SLA timers and spikes, dispatching to the actions queue and emitting through the store and the bus.
 * A malformed `targets:` or `crisis:` section of the team config fails here, naming it.
 */
export function crisisKitOf(adapters: Adapters): Promise<CrisisKit> {
  let kit = kits.get(adapters);
  if (!kit) {
    kit = build(adapters);
    kit.catch(() => {
      if (kits.get(adapters) === kit) kits.delete(adapters);
    });
    kits.set(adapters, kit);
  }
  return kit;
}

async function build(adapters: Adapters): Promise<CrisisKit> {
  await adapters.teamConfig.load();
  const email = adapters.email;
  const kit = new CrisisKit({
    stores: adapters.metrics
      ? { ...adapters.crisisStores, audit: countingAudit(adapters.crisisStores.audit, adapters.metrics) }
      : adapters.crisisStores,
    config: () => adapters.teamConfig.current(),
    settings: adapters.settings,
    clock: adapters.clock,
    forceSandbox: adapters.forceSandbox,
    live: adapters.live,
    sandbox: adapters.sandbox,
    ...(email ? { email } : {}),
    foghornBaseUrl: () => adapters.foghornBaseUrl(),
    dispatch: (commands) => adapters.actionsQueue.send(commands),
    emit: (event) => emitEvent(adapters, event),
    events: adapters.events,
  });
  kit.teamConfig();
  return kit;
}
