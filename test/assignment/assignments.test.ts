import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignExecutor } from '../../functions/assignment/assign-executor.js';
import { Assignments } from '../../functions/assignment/assignments.js';
import { parseAssignmentConfig } from '../../functions/assignment/config.js';
import type { AssignmentStore } from '../../functions/assignment/ports.js';
import { actionCommandId } from '../../functions/core/action-command.js';
import { ticketConversation } from '../../functions/crisis/conversation.js';
import { memoryAuditLog, memoryTimerStore } from '../../functions/crisis/memory/index.js';
import { DynamoAssignmentStore } from '../../functions/storage/dynamo/assignment-store.js';
import { EmbeddedAssignmentStore } from '../../functions/storage/embedded/assignment-store.js';
import { useEmbeddedDatabase } from '../storage/contracts/use-embedded-database.js';
import { useEmbeddedDynamo } from '../support/dynamo.js';
import { makeEvent } from '../support/events.js';

// A Monday, 10:00 UTC.
const MONDAY_10 = new Date('2026-11-23T10:00:00.000Z');

const config = (strategy: 'round-robin' | 'least-open') =>
  parseAssignmentConfig({
    timezone: 'UTC',
    holidays: [],
    targets: { 'desk-lead': null },
    people: {
      sara: { name: 'Sara Ahmadi', hours: { mon: '14:00-18:00' }, notify: 'desk-lead' },
      reza: { name: 'Reza Karimi', hours: { mon: '09:00-18:00' } },
      mina: { name: 'Mina Rad', hours: { sun: '20:00-11:00' } },
    },
    teams: { desk: { members: ['sara', 'reza', 'mina'], lead: 'sara', strategy } },
  } as never);

describe('Assignments over the embedded store', () => {
  const db = useEmbeddedDatabase();
  let audit: ReturnType<typeof memoryAuditLog>;
  const make = (strategy: 'round-robin' | 'least-open') =>
    new Assignments({ store: new EmbeddedAssignmentStore(db.current), config: () => config(strategy), audit, now: () => MONDAY_10 });
  beforeAll(() => {
    audit = memoryAuditLog();
  });
  afterAll(() => {});

  it("reads a shift across midnight as the next day's morning too (Sunday 20:00-11:00 covers Monday 10:00)", () => {
    const people = config('round-robin').people;
    expect(people.get('mina')?.inHours(MONDAY_10)).toBe(true);
    expect(people.get('mina')?.inHours(new Date('2026-11-23T11:00:00.000Z'))).toBe(false);
    expect(people.get('sara')?.inHours(MONDAY_10)).toBe(false);
  });

  it('least open picks the member in hours with the fewest open conversations', async () => {
    const assignments = make('least-open');
    const event = (id: string) => makeEvent({ id: `generic:lo-${id}`, createdAt: MONDAY_10.toISOString() });
    // reza takes the first (a tie goes to the member listed first among those in hours), mina the second, then reza again.
    const owners: string[] = [];
    for (const id of ['1', '2', '3', '4']) {
      const outcome = await assignments.assign({
        conversation: `lo|c|${id}`,
        event: event(id),
        to: { team: 'desk' },
        by: 'rule:r',
        change: `lo-${id}`,
      });
      owners.push(outcome.owner.person ?? 'team');
    }
    expect(owners).toEqual(['reza', 'mina', 'reza', 'mina']);
    await assignments.close('lo|c|1');
    await assignments.close('lo|c|3');
    const next = await assignments.assign({
      conversation: 'lo|c|5',
      event: event('5'),
      to: { team: 'desk' },
      by: 'rule:r',
      change: 'lo-5',
    });
    expect(next.owner).toMatchObject({ person: 'reza', why: expect.stringContaining('least open in desk (0 open)') });
  });

  it('gives the team, no person, when nobody is in hours at the message time, and says so', async () => {
    const assignments = make('round-robin');
    const sunday = makeEvent({ id: 'generic:night', createdAt: '2026-11-22T03:00:00.000Z' });
    const outcome = await assignments.assign({
      conversation: 'night|c|1',
      event: sunday,
      to: { team: 'desk' },
      by: 'rule:r',
      change: 'night-1',
    });
    expect(outcome.owner.person).toBeUndefined();
    expect(outcome.owner).toMatchObject({ team: 'desk', why: expect.stringContaining('nobody in desk is in hours') });
    const entry = (await audit.list(100)).find((candidate) => candidate.id === 'assignment:night-1');
    expect(entry).toMatchObject({ what: 'assignment.assigned', why: expect.stringContaining('nobody in desk is in hours') });
  });

  it('assigns a retried command once: no second turn, no second count, one audit line', async () => {
    const store = new EmbeddedAssignmentStore(db.current);
    const assignments = new Assignments({ store, config: () => config('round-robin'), audit, now: () => MONDAY_10 });
    const execute = assignExecutor({
      assignments,
      timers: memoryTimerStore(),
      conversationOf: ticketConversation,
      clock: { now: () => MONDAY_10 },
    });
    const event = makeEvent({ id: 'generic:retry', thread: { id: 'retry-thread' }, createdAt: MONDAY_10.toISOString() });
    const command = {
      id: actionCommandId(event.id, 'assign-desk', 0),
      eventId: event.id,
      ruleId: 'assign-desk',
      index: 0,
      type: 'assign',
      params: { team: 'desk' },
      event,
      createdAt: MONDAY_10.toISOString(),
    };
    const before = await store.openCounts(['sara', 'reza', 'mina']);
    const firstTry = await execute(command);
    const secondTry = await execute(command);
    expect(secondTry.externalId).toBe(firstTry.externalId);
    const owner = await store.owner(ticketConversation(event));
    expect(owner).toMatchObject({ change: command.id, open: true });
    const person = owner!.person!;
    expect((await store.openCounts([person])).get(person)).toBe((before.get(person) ?? 0) + 1);
    // The next command takes the turn after this one's, not two after.
    expect(await store.takeTurn('desk', 'another-command')).toBe((await store.takeTurn('desk', command.id)) + 1);
    expect((await audit.list(1000)).filter((entry) => entry.id === `assignment:${command.id}`)).toHaveLength(1);
  });

  it('a rule never takes a conversation from its owner: it keeps it, opened again', async () => {
    const assignments = make('round-robin');
    const event = makeEvent({ id: 'generic:keep', createdAt: MONDAY_10.toISOString() });
    await assignments.assign({ conversation: 'keep|c|1', event, to: { person: 'mina' }, by: 'user:li', change: 'keep-1' });
    await assignments.close('keep|c|1');
    const again = await assignments.assign({ conversation: 'keep|c|1', event, to: { team: 'desk' }, by: 'rule:r', change: 'keep-2' });
    expect(again).toMatchObject({ result: 'kept', owner: { person: 'mina', by: 'user:li', open: true } });
  });

  it('refuses an unknown person or team, naming the declared ones', async () => {
    const assignments = make('round-robin');
    const event = makeEvent({ id: 'generic:bad' });
    await expect(
      assignments.assign({ conversation: 'bad|c|1', event, to: { person: 'sarah' }, by: 'user:li', change: 'b1' }),
    ).rejects.toThrow("unknown person 'sarah' (declared under people: sara, reza, mina)");
    await expect(
      assignments.assign({ conversation: 'bad|c|1', event, to: { team: 'desks' }, by: 'user:li', change: 'b2' }),
    ).rejects.toThrow("unknown team 'desks'");
  });
});

function roundRobinOverStore(make: () => AssignmentStore) {
  it('round robin skips the member outside their hours, and a reassignment by a person is audited from and to', async () => {
    const audit = memoryAuditLog();
    const assignments = new Assignments({ store: make(), config: () => config('round-robin'), audit, now: () => MONDAY_10 });
    const owners: string[] = [];
    for (const id of ['1', '2', '3', '4']) {
      const event = makeEvent({ id: `generic:rr-${id}`, createdAt: MONDAY_10.toISOString() });
      const outcome = await assignments.assign({
        conversation: `rr|c|${id}`,
        event,
        to: { team: 'desk' },
        by: 'rule:r',
        change: `rr-${id}`,
      });
      owners.push(outcome.owner.person ?? 'team');
    }
    // Turns fall on sara (off until 14:00: skipped to reza), reza, mina, sara (skipped again).
    expect(owners).toEqual(['reza', 'reza', 'mina', 'reza']);

    const event = makeEvent({ id: 'generic:rr-3', createdAt: MONDAY_10.toISOString() });
    const moved = await assignments.assign({
      conversation: 'rr|c|3',
      event,
      to: { person: 'sara' },
      by: 'user:li',
      change: 'rr-move',
      note: 'she knows this customer',
    });
    expect(moved).toMatchObject({ result: 'assigned', owner: { person: 'sara', by: 'user:li' }, previous: { person: 'mina' } });
    const reassigned = (await audit.list(100)).filter((entry) => entry.what === 'assignment.reassigned');
    expect(reassigned).toEqual([
      expect.objectContaining({
        who: 'user:li',
        why: expect.stringContaining('she knows this customer'),
        detail: expect.objectContaining({
          from: expect.objectContaining({ person: 'mina' }),
          to: expect.objectContaining({ person: 'sara' }),
        }),
      }),
    ]);
  });
}

describe('round robin and reassignment: embedded store (lmdb)', () => {
  const db = useEmbeddedDatabase();
  roundRobinOverStore(() => new EmbeddedAssignmentStore(db.current));
});

describe('round robin and reassignment: DynamoDB store (dynalite)', () => {
  const dynamo = useEmbeddedDynamo();
  roundRobinOverStore(() => new DynamoAssignmentStore({ client: dynamo.current.client, tableName: dynamo.current.tableName }));
});
