import { type ActionCommand, actionCommandId } from '../core/action-command.js';
import type { EpisodeStore, SpikeEpisode } from './ports.js';

export interface EndedEpisode {
  episode: SpikeEpisode;
  /** One `escalate` command per escalation the episode sent, each asking its target to resolve. */
  resolves: ActionCommand[];
  /** The rule's `onQuiet:` actions as commands (ids derived from the incident: queued once per episode). */
  quiet: ActionCommand[];
}

/**
 * Ends every open spike episode that has been quiet for its quiet period. Closing is conditional on
 * the last event time the sweep saw, so an event that arrives meanwhile keeps the episode open, and
 * two sweeps never both end (and resolve) the same episode.
 */
export async function endQuietEpisodes(episodes: EpisodeStore, now: Date): Promise<EndedEpisode[]> {
  const ended: EndedEpisode[] = [];
  for (const episode of await episodes.listOpen()) {
    if (Date.parse(episode.lastEventAt) + episode.quietMs > now.getTime()) continue;
    if (!(await episodes.close(episode.ruleId, episode.incident, episode.lastEventAt, now))) continue;
    ended.push({
      episode: { ...episode, status: 'closed', closedAt: now.toISOString() },
      resolves: resolveCommands(episode, now),
      quiet: quietCommands(episode, now),
    });
  }
  return ended;
}

export function resolveCommands(episode: SpikeEpisode, now: Date): ActionCommand[] {
  const sourceId = `resolve:${episode.incident}`;
  return episode.actions
    .filter((action) => action.type === 'escalate')
    .map((action) => ({
      id: actionCommandId(sourceId, action.ruleId, action.index),
      eventId: episode.firstEvent.id,
      ruleId: action.ruleId,
      index: action.index,
      type: 'escalate',
      params: {
        ...action.params,
        resolve: true,
        incident: episode.incident,
        summary: `Resolved: ${String(action.params.summary ?? episode.ruleId)} (quiet for ${Math.round(episode.quietMs / 60_000)} min after ${episode.count} events)`,
      },
      event: episode.firstEvent,
      createdAt: now.toISOString(),
    }));
}

/** The episode's `onQuiet:` actions, answering the event that opened it. */
export function quietCommands(episode: SpikeEpisode, now: Date): ActionCommand[] {
  const sourceId = `quiet:${episode.incident}`;
  return (episode.onQuiet ?? []).map((action) => ({
    id: actionCommandId(sourceId, action.ruleId, action.index),
    eventId: episode.firstEvent.id,
    ruleId: action.ruleId,
    index: action.index,
    type: action.type,
    params: { ...action.params, ...(action.type === 'escalate' ? { incident: `${episode.incident}:quiet`, count: episode.count } : {}) },
    event: episode.firstEvent,
    createdAt: now.toISOString(),
  }));
}
