import type { EpisodeStore, SpikeEpisode } from '../../crisis/ports.js';
import { pendingDecision } from '../decision-writes.js';
import type { EmbeddedDatabase, WriteTx } from './database.js';
import { type DeferredWrite, EMBEDDED_DECISION } from './decision-store.js';

const OPEN_PREFIX = 'crisis/spike-open/';

function episodeKey(ruleId: string): string {
  return `crisis/spike/${encodeURIComponent(ruleId)}`;
}

/** Open episodes, oldest first: what the sweep reads. */
function openKey(episode: SpikeEpisode): string {
  return `${OPEN_PREFIX}${encodeURIComponent(episode.startedAt)}/${encodeURIComponent(episode.ruleId)}`;
}

/**
 * The latest spike episode of each rule (`crisis/spike/<rule>`). Opening, touching and closing are each one
 * transaction that checks the stored episode first, so one evaluator opens an episode and one sweep closes
 * it. An open episode is also listed under `crisis/spike-open/`, and leaves that listing once closed and its end's
 * commands are dispatched.
 */
export class EmbeddedEpisodeStore implements EpisodeStore {
  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedEpisodeStore: an EmbeddedDatabase is required');
  }

  async current(ruleId: string): Promise<SpikeEpisode | undefined> {
    return this.db.get<SpikeEpisode>(episodeKey(ruleId));
  }

  async open(episode: SpikeEpisode): Promise<boolean> {
    const key = episodeKey(episode.ruleId);
    const taken = (last: SpikeEpisode | undefined) => last?.status === 'open' || last?.undispatched === true;
    if (taken(this.db.get<SpikeEpisode>(key))) return false;
    return this.db.write((tx) => {
      if (taken(tx.get<SpikeEpisode>(key))) return false;
      tx.put(key, episode);
      tx.put(openKey(episode), episode.ruleId);
      return true;
    });
  }

  /** Inside a decision, in the write that keeps it (decision-store.ts decideOnce): an event touches once. */
  async touch(ruleId: string, incident: string, at: Date): Promise<void> {
    const key = episodeKey(ruleId);
    const isOpen = (episode: SpikeEpisode | undefined): episode is SpikeEpisode =>
      episode?.status === 'open' && episode.incident === incident;
    if (!isOpen(this.db.get<SpikeEpisode>(key))) return;
    const touchIn = (tx: WriteTx) => {
      const episode = tx.get<SpikeEpisode>(key);
      if (!isOpen(episode)) return;
      // The count always grows; lastEventAt only moves forward (events of a batch arrive in any order).
      const later = Date.parse(episode.lastEventAt) < at.getTime() ? at.toISOString() : episode.lastEventAt;
      tx.put(key, { ...episode, count: episode.count + 1, lastEventAt: later });
    };
    const pending = pendingDecision<DeferredWrite>(EMBEDDED_DECISION);
    if (pending) pending.defer(touchIn);
    else await this.db.write(touchIn);
  }

  async listOpen(): Promise<SpikeEpisode[]> {
    return this.listed().filter((episode) => episode.status === 'open');
  }

  async close(ruleId: string, incident: string, lastEventAt: string, now: Date): Promise<boolean> {
    const key = episodeKey(ruleId);
    const closable = (episode: SpikeEpisode | undefined): episode is SpikeEpisode =>
      episode?.status === 'open' && episode.incident === incident && episode.lastEventAt === lastEventAt;
    if (!closable(this.db.get<SpikeEpisode>(key))) return false;
    return this.db.write((tx) => {
      const episode = tx.get<SpikeEpisode>(key);
      if (!closable(episode)) return false;
      tx.put(key, { ...episode, status: 'closed', closedAt: now.toISOString(), undispatched: true } satisfies SpikeEpisode);
      return true;
    });
  }

  async listUndispatched(): Promise<SpikeEpisode[]> {
    return this.listed().filter((episode) => episode.status === 'closed' && episode.undispatched);
  }

  async dispatched(ruleId: string, incident: string): Promise<void> {
    const key = episodeKey(ruleId);
    const owed = (episode: SpikeEpisode | undefined): episode is SpikeEpisode =>
      episode?.incident === incident && episode.undispatched === true;
    if (!owed(this.db.get<SpikeEpisode>(key))) return;
    await this.db.write((tx) => {
      const episode = tx.get<SpikeEpisode>(key);
      if (!owed(episode)) return;
      const { undispatched: _owed, ...rest } = episode;
      tx.put(key, rest);
      tx.remove(openKey(episode));
    });
  }

  /** The episodes under `crisis/spike-open/`: open, or closed with their end not yet dispatched. */
  private listed(): SpikeEpisode[] {
    return this.db
      .range<string>({ prefix: OPEN_PREFIX })
      .map(({ value: ruleId }) => this.db.get<SpikeEpisode>(episodeKey(ruleId)))
      .filter((episode): episode is SpikeEpisode => episode !== undefined);
  }
}
