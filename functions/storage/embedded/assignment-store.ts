import type { AssignmentStore, AssignResult, ConversationOwner } from '../../assignment/ports.js';
import type { EmbeddedDatabase } from './database.js';

const ownerKey = (conversation: string) => `assignment/owner/${encodeURIComponent(required(conversation, 'conversation'))}`;
const turnKey = (team: string) => `assignment/turn/${encodeURIComponent(required(team, 'team'))}`;
const turnTakenKey = (team: string, change: string) => `${turnKey(team)}/${encodeURIComponent(required(change, 'change'))}`;
const openKey = (person: string) => `assignment/open/${encodeURIComponent(required(person, 'person'))}`;

function required(value: string, name: string): string {
  if (!value) throw new Error(`EmbeddedAssignmentStore: ${name} is required`);
  return value;
}

/**
 * Conversations' owners (`assignment/owner/<conversation>`), each team's round-robin turn (`assignment/turn/<team>`,
 * and the turn each change took under it), and each person's open count (`assignment/open/<person>`). Each change is
 * one transaction that reads what it changes first, so a retried change finds its own work and does nothing more.
 */
export class EmbeddedAssignmentStore implements AssignmentStore {
  constructor(private readonly db: EmbeddedDatabase) {
    if (!db) throw new Error('EmbeddedAssignmentStore: an EmbeddedDatabase is required');
  }

  async owner(conversation: string): Promise<ConversationOwner | undefined> {
    return this.db.get<ConversationOwner>(ownerKey(conversation));
  }

  async owners(conversations: readonly string[]): Promise<Map<string, ConversationOwner>> {
    const found = new Map<string, ConversationOwner>();
    for (const conversation of conversations) {
      const owner = this.db.get<ConversationOwner>(ownerKey(conversation));
      if (owner) found.set(conversation, owner);
    }
    return found;
  }

  async takeTurn(team: string, change: string): Promise<number> {
    return this.db.write((tx) => {
      const taken = tx.get<{ turn: number }>(turnTakenKey(team, change));
      if (taken) return taken.turn;
      const turn = tx.get<{ next: number }>(turnKey(team))?.next ?? 0;
      tx.put(turnKey(team), { next: turn + 1 });
      tx.put(turnTakenKey(team, change), { turn });
      return turn;
    });
  }

  async openCounts(people: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const person of people) {
      const count = this.db.get<{ open: number }>(openKey(person))?.open ?? 0;
      if (count > 0) counts.set(person, count);
    }
    return counts;
  }

  async assign(owner: ConversationOwner, expected: string | undefined): Promise<AssignResult> {
    const key = ownerKey(owner.conversation);
    return this.db.write((tx) => {
      const stored = tx.get<ConversationOwner>(key);
      if (stored?.change === owner.change) return 'repeated';
      if (stored?.change !== expected) return 'conflict';
      const add = (person: string | undefined, by: number) => {
        if (!person) return;
        const open = tx.get<{ open: number }>(openKey(person))?.open ?? 0;
        tx.put(openKey(person), { open: Math.max(0, open + by) });
      };
      if (stored?.open) add(stored.person, -1);
      if (owner.open) add(owner.person, 1);
      tx.put(key, owner);
      return 'assigned';
    });
  }

  async close(conversation: string, _at: Date): Promise<boolean> {
    const key = ownerKey(conversation);
    return this.db.write((tx) => {
      const stored = tx.get<ConversationOwner>(key);
      if (!stored?.open) return false;
      if (stored.person) {
        const open = tx.get<{ open: number }>(openKey(stored.person))?.open ?? 0;
        tx.put(openKey(stored.person), { open: Math.max(0, open - 1) });
      }
      tx.put(key, { ...stored, open: false });
      return true;
    });
  }
}
