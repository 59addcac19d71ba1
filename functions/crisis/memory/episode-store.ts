import type { EpisodeStore, SpikeEpisode } from '../ports.js';

export function memoryEpisodeStore(): EpisodeStore {
  const latest = new Map<string, SpikeEpisode>();
  return {
    async current(ruleId) {
      const episode = latest.get(ruleId);
      return episode ? structuredClone(episode) : undefined;
    },
    async open(episode) {
      const last = latest.get(episode.ruleId);
      if (last?.status === 'open' || last?.undispatched) return false;
      latest.set(episode.ruleId, structuredClone(episode));
      return true;
    },
    async touch(ruleId, incident, at) {
      const episode = latest.get(ruleId);
      if (episode?.status !== 'open' || episode.incident !== incident) return;
      episode.count += 1;
      if (Date.parse(episode.lastEventAt) < at.getTime()) episode.lastEventAt = at.toISOString();
    },
    async listOpen() {
      return [...latest.values()].filter((episode) => episode.status === 'open').map((episode) => structuredClone(episode));
    },
    async close(ruleId, incident, lastEventAt, now) {
      const episode = latest.get(ruleId);
      if (episode?.status !== 'open' || episode.incident !== incident || episode.lastEventAt !== lastEventAt) return false;
      episode.status = 'closed';
      episode.closedAt = now.toISOString();
      episode.undispatched = true;
      return true;
    },
    async listUndispatched() {
      return [...latest.values()].filter((episode) => episode.undispatched).map((episode) => structuredClone(episode));
    },
    async dispatched(ruleId, incident) {
      const episode = latest.get(ruleId);
      if (episode?.incident === incident) delete episode.undispatched;
    },
  };
}
