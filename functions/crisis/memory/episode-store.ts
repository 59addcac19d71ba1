import type { EpisodeStore, SpikeEpisode } from '../ports.js';

export function memoryEpisodeStore(): EpisodeStore {
  const latest = new Map<string, SpikeEpisode>();
  return {
    async current(ruleId) {
      const episode = latest.get(ruleId);
      return episode ? structuredClone(episode) : undefined;
    },
    async open(episode) {
      if (latest.get(episode.ruleId)?.status === 'open') return false;
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
      return true;
    },
  };
}
