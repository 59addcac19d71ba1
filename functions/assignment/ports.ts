/**
 * What assignment needs from storage (embedded store locally, the single table on AWS). Every change that must happen
 * once is keyed by the change that makes it (a command id, a person's request id): a retried change answers what the
 * first one did, so a round-robin turn is taken once and a conversation is counted once.
 */

/** Who answers a conversation: a person (of a team, or named directly), or a team whose members were all off. */
export interface ConversationOwner {
  /** The conversation key (crisis/conversation.ts ticketConversation): the thread the customer wrote in. */
  conversation: string;
  person?: string;
  team?: string;
  /** When this owner got it. */
  since: string;
  /** `rule:<id>` or `user:<name>`. */
  by: string;
  /** Why this owner: the strategy's choice, the person's note, or that nobody was in hours. */
  why: string;
  /** Open until the brand answers in the conversation or it is resolved; counted in the person's open conversations. */
  open: boolean;
  /** The change that made this assignment (a retry of it changes nothing). */
  change: string;
  /** The message it was assigned for. */
  eventId: string;
}

/** What `assign` did: `assigned` by this call, `repeated` (this change was already made), `conflict` (another change came first). */
export type AssignResult = 'assigned' | 'repeated' | 'conflict';

export interface AssignmentStore {
  owner(conversation: string): Promise<ConversationOwner | undefined>;
  /** The owners of several conversations at once (a listing page), by conversation; those without one are absent. */
  owners(conversations: readonly string[]): Promise<Map<string, ConversationOwner>>;
  /**
   * The team's next round-robin turn for `change`: 0, 1, 2, … across every change; the same change always gets
   * the turn it got first, and two changes never get the same turn.
   */
  takeTurn(team: string, change: string): Promise<number>;
  /** Open conversations per person (absent: none), from a counter per person: no scan. */
  openCounts(people: readonly string[]): Promise<Map<string, number>>;
  /**
   * Stores `owner` if the conversation's stored owner was made by `expected` (undefined: it has none), moving the
   * open count from the previous person (if open) to the new one (if open); `repeated` when `owner.change` made it.
   */
  assign(owner: ConversationOwner, expected: string | undefined): Promise<AssignResult>;
  /** open → closed (answered or resolved), taking it off its person's count; true when this caller closed it. */
  close(conversation: string, at: Date): Promise<boolean>;
}
