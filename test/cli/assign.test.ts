import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { TEST_API_TOKEN } from '../support/api-token.js';
import { errorCollectingLogger } from '../support/logger.js';
import { getJson, makeWorkspace, postGeneric, TEST_GENERIC_SECRET, waitForQueuesToDrain } from '../support/runtime-process.js';

/** `foghorn assign` against the real local runtime (in process, the embedded store), with a people: and teams: config. */
const RULES = `
- id: assign-persian
  when: { all: [{ fact: text, operator: containsAny, value: ["persian"] }] }
  then: [{ assign: { team: persian-desk } }]
`;

interface Owner {
  person?: string;
  team?: string;
  by: string;
  why: string;
}

describe('foghorn assign (against the local runtime)', () => {
  let runtime: Runtime;
  const errors: string[] = [];
  const foghorn = async (args: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: { FOGHORN_URL: runtime.url, FOGHORN_API_TOKEN: TEST_API_TOKEN, ...env },
      cwd: process.cwd(),
    };
    const code = await main(['assign', ...args], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const ownerOf = async (eventId: string) =>
    (await getJson<{ owner: Owner | null }>(`${runtime.url}/api/events/${encodeURIComponent(eventId)}`)).owner;
  let eventId = '';

  beforeAll(async () => {
    const { dataDir, rulesDir } = makeWorkspace({ 'assign.yaml': RULES });
    writeFileSync(
      join(dirname(rulesDir), 'foghorn.config.yaml'),
      [
        'timezone: UTC',
        'people:',
        '  sara: { name: Sara Ahmadi }',
        '  reza: { name: Reza Karimi }',
        '  olga: { name: Olga Ivanova }',
        'teams:',
        '  persian-desk: { members: [reza] }',
        '  press: { members: [olga], strategy: least-open }',
      ].join('\n'),
    );
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir,
      logger: errorCollectingLogger(errors),
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET, FOGHORN_API_TOKEN: TEST_API_TOKEN }),
    });
    const posted = await postGeneric(runtime.url, {
      id: 'cli-1',
      kind: 'message',
      text: 'persian question',
      author: { id: 'a1', name: 'Ada' },
      channel: { id: 'c1' },
    });
    expect(posted.status).toBe(200);
    eventId = 'generic:cli-1';
    await waitForQueuesToDrain(runtime.url);
  }, 60_000);
  afterAll(async () => {
    expect(errors).toEqual([]);
    await runtime?.stop();
  });

  it('--person gives the conversation to that person, says from whom to whom, and is audited with --who and --note', async () => {
    expect((await ownerOf(eventId))?.person).toBe('reza');

    const result = await foghorn([eventId, '--person', 'sara', '--who', 'li', '--note', 'she knows this customer']);

    expect(result).toEqual({ code: 0, out: `${eventId}: reza (persian-desk) → sara  (assigned to sara)`, err: '' });
    expect(await ownerOf(eventId)).toMatchObject({ person: 'sara', by: 'user:li' });
    const { audit } = await getJson<{ audit: Array<{ what: string; who?: string; why?: string }> }>(`${runtime.url}/api/audit?limit=100`);
    expect(audit.filter((entry) => entry.what === 'assignment.reassigned')).toEqual([
      expect.objectContaining({ who: 'user:li', why: 'assigned to sara; she knows this customer' }),
    ]);
  });

  it('--team picks a member by the team strategy; --json prints the API answer', async () => {
    const result = await foghorn([eventId, '--team', 'press', '--json']);

    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    expect(JSON.parse(result.out)).toMatchObject({
      result: 'assigned',
      owner: { person: 'olga', team: 'press' },
      previous: { person: 'sara' },
    });
    expect(await ownerOf(eventId)).toMatchObject({ person: 'olga', team: 'press' });
  });

  it('an event that does not exist: exit 1, naming it, and nothing changes', async () => {
    const result = await foghorn(['generic:nope', '--person', 'sara']);

    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toBe(
      `foghorn assign: POST /api/events/generic%3Anope/assign answered 404: no event 'generic:nope' (the ids are in: foghorn events list)`,
    );
    expect((await ownerOf(eventId))?.person).toBe('olga');
  });

  it('an unknown person or team: exit 1, naming the ones declared, and nothing changes', async () => {
    const person = await foghorn([eventId, '--person', 'sarah']);
    const team = await foghorn([eventId, '--team', 'presss']);

    expect(person.code).toBe(1);
    expect(person.err).toContain("answered 400: unknown person 'sarah' (declared under people: sara, reza, olga)");
    expect(team.code).toBe(1);
    expect(team.err).toContain("answered 400: unknown team 'presss' (declared under teams: persian-desk, press)");
    expect((await ownerOf(eventId))?.person).toBe('olga');
  });

  it('neither or both of --person and --team, or no event id: exit 2 with the usage, and no call', async () => {
    const neither = await foghorn([eventId]);
    const both = await foghorn([eventId, '--person', 'sara', '--team', 'press']);
    const noId = await foghorn(['--person', 'sara']);

    for (const result of [neither, both]) {
      expect(result.code).toBe(2);
      expect(result.err).toContain('give exactly one of --person NAME or --team NAME');
      expect(result.err).toContain('usage: foghorn assign EVENT_ID --person NAME | --team NAME');
    }
    expect(noId.code).toBe(2);
    expect(noId.err).toContain('assign needs the event id');
    expect((await ownerOf(eventId))?.person).toBe('olga');
  });

  it('a Foghorn that is not running: exit 1, saying where it looked', async () => {
    const result = await foghorn([eventId, '--person', 'sara'], { FOGHORN_URL: 'http://127.0.0.1:9' });

    expect(result.code).toBe(1);
    expect(result.err).toContain('cannot reach Foghorn at http://127.0.0.1:9');
  });
});
