import { type ActionCommand, actionCommandId } from '../core/action-command.js';
import type { EpisodeStore, SpikeEpisode } from './ports.js';

export interface EndedEpisode {
  episode: SpikeEpisode;
  /** One `escalate` command per escalation the episode sent, each asking its target to resolve. */
  resolves: ActionCommand[];
  /** The rule's `onQuiet:` actions as commands (ids derived from the incident: queued once per episode). */
  quiet: ActionCommand[];
  /** Closed by an earlier sweep that may not have dispatched its commands: these are sent again. */
  resumed?: true;
}

/**
 * Ends every open spike episode that has been quiet for its quiet period, and returns them with the episodes an
 * earlier sweep closed but may not have dispatched (it stopped in between). Closing is conditional on the last event
 * time the sweep saw, so an event that arrives meanwhile keeps the episode open, and two sweeps never both end the
 * same episode. The caller puts each one's commands on the queue, then calls `episodes.dispatched`: until then the
 * episode stays owed, and the next sweep sends the same command ids again (act runs each once).
 */
export async function endQuietEpisodes(episodes: EpisodeStore, now: Date): Promise<EndedEpisode[]> {
  const ended: EndedEpisode[] = (await episodes.listUndispatched()).map((episode) => ({ ...endedOf(episode), resumed: true }));
  for (const episode of await episodes.listOpen()) {
    if (Date.parse(episode.lastEventAt) + episode.quietMs > now.getTime()) continue;
    if (!(await episodes.close(episode.ruleId, episode.incident, episode.lastEventAt, now))) continue;
    ended.push(endedOf({ ...episode, status: 'closed', closedAt: now.toISOString(), undispatched: true }));
  }
  return ended;
}

function endedOf(episode: SpikeEpisode): EndedEpisode {
  const closedAt = new Date(episode.closedAt ?? episode.lastEventAt);
  return { episode, resolves: resolveCommands(episode, closedAt), quiet: quietCommands(episode, closedAt) };
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
