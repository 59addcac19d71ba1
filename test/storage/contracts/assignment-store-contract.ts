import { expect, it } from 'vitest';
import type { AssignmentStore, ConversationOwner } from '../../../functions/assignment/ports.js';

/**
 * What every AssignmentStore must do, run against the embedded store (lmdb) and the DynamoDB one (dynalite).
 * The harness may share one table between tests: each test uses its own conversation, team and person names.
 */
export function assignmentStoreContract(make: () => AssignmentStore): void {
  const since = '2026-12-02T07:00:00.000Z';
  const owner = (conversation: string, change: string, person: string | undefined, open = true): ConversationOwner => ({
    conversation,
    ...(person ? { person } : {}),
    team: 'desk',
    since,
    by: 'rule:assign-persian',
    why: 'round robin in desk (turn 0)',
    open,
    change,
    eventId: `x:${conversation}`,
  });

  it('has no owner, turn or open count before anything happened', async () => {
    const store = make();
    expect(await store.owner('x|c|none')).toBeUndefined();
    expect(await store.owners(['x|c|none', 'x|c|none2'])).toEqual(new Map());
    expect(await store.openCounts(['nobody-a', 'nobody-b'])).toEqual(new Map());
  });

  it('gives each change its own turn, and a retried change the turn it got first', async () => {
    const store = make();
    const turns = await Promise.all(['t1', 't2', 't3', 't4', 't5'].map((change) => store.takeTurn('team-turns', change)));
    expect([...turns].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await store.takeTurn('team-turns', 't3')).toBe(turns[2]);
    expect(await store.takeTurn('team-turns', 't6')).toBe(5);
    // Another team counts on its own.
    expect(await store.takeTurn('team-other', 't1')).toBe(0);
  });

  it('assigns once per change, counting the open conversation once', async () => {
    const store = make();
    expect(await store.assign(owner('x|c|a1', 'cmd-1', 'pa-sara'), undefined)).toBe('assigned');
    expect(await store.assign(owner('x|c|a1', 'cmd-1', 'pa-sara'), undefined)).toBe('repeated');
    expect(await store.owner('x|c|a1')).toEqual(owner('x|c|a1', 'cmd-1', 'pa-sara'));
    expect((await store.openCounts(['pa-sara'])).get('pa-sara')).toBe(1);
    expect(await store.owners(['x|c|a1', 'x|c|none'])).toEqual(new Map([['x|c|a1', owner('x|c|a1', 'cmd-1', 'pa-sara')]]));
  });

  it('refuses a change made on a stale owner, and moves the count on a reassignment', async () => {
    const store = make();
    await store.assign(owner('x|c|r1', 'cmd-1', 'pr-sara'), undefined);
    expect(await store.assign(owner('x|c|r1', 'cmd-2', 'pr-reza'), undefined)).toBe('conflict');
    expect(await store.assign(owner('x|c|r1', 'cmd-2', 'pr-reza'), 'cmd-1')).toBe('assigned');
    const counts = await store.openCounts(['pr-sara', 'pr-reza']);
    expect(counts.get('pr-sara')).toBeUndefined();
    expect(counts.get('pr-reza')).toBe(1);
    expect((await store.owner('x|c|r1'))?.person).toBe('pr-reza');
  });

  it('lets one of two concurrent changes win', async () => {
    const store = make();
    const results = await Promise.all([
      store.assign(owner('x|c|c1', 'cmd-a', 'pc-sara'), undefined),
      store.assign(owner('x|c|c1', 'cmd-b', 'pc-reza'), undefined),
    ]);
    expect([...results].sort()).toEqual(['assigned', 'conflict']);
    const counts = await store.openCounts(['pc-sara', 'pc-reza']);
    expect([...counts.values()]).toEqual([1]);
  });

  it('closes an open conversation once, taking it off the count; a team-only owner counts for nobody', async () => {
    const store = make();
    await store.assign(owner('x|c|k1', 'cmd-1', 'pk-sara'), undefined);
    await store.assign(owner('x|c|k2', 'cmd-2', 'pk-sara'), undefined);
    await store.assign(owner('x|c|k3', 'cmd-3', undefined), undefined);
    expect((await store.openCounts(['pk-sara'])).get('pk-sara')).toBe(2);
    expect(await store.close('x|c|k1', new Date(since))).toBe(true);
    expect(await store.close('x|c|k1', new Date(since))).toBe(false);
    expect(await store.close('x|c|k3', new Date(since))).toBe(true);
    expect(await store.close('x|c|never', new Date(since))).toBe(false);
    expect((await store.openCounts(['pk-sara'])).get('pk-sara')).toBe(1);
    expect((await store.owner('x|c|k1'))?.open).toBe(false);
    // Opened again for the same person: counted again.
    expect(await store.assign({ ...owner('x|c|k1', 'cmd-4', 'pk-sara') }, 'cmd-1')).toBe('assigned');
    expect((await store.openCounts(['pk-sara'])).get('pk-sara')).toBe(2);
  });

  it('says what is missing when used without a conversation or team', async () => {
    await expect(make().owner('')).rejects.toThrow(/conversation is required/);
    await expect(make().takeTurn('', 'cmd')).rejects.toThrow(/team is required/);
  });
}
