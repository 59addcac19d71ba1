import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeWorkspace,
  postGeneric,
  type RuntimeProcess,
  startRuntimeProcess,
  waitFor,
  waitForQueuesToDrain,
} from '../../support/runtime-process.js';

const REPLY_RULE = `
id: thank-everyone
when: { all: [{ fact: kind, operator: equal, value: message }] }
then:
  - reply: { text: "Thanks {{author.name}}, noted" }
  - tag: seen
`;

/** The printed lines that are not log records: the start banner and the sign-in link, as people read them. */
const FOR_PEOPLE = [
  /^foghorn is listening \{"url":"[^"]+"\}$/,
  /^no console users are configured .*with this link/,
  /^http:\/\/127\.0\.0\.1:\d+\/login\?token=/,
];

function records(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line !== '' && !FOR_PEOPLE.some((pattern) => pattern.test(line)))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const secretText = 'my card is 4111 1111 1111 1111';

describe('npm start logs JSON lines at FOGHORN_LOG_LEVEL', () => {
  let debug: RuntimeProcess;
  let info: RuntimeProcess;
  beforeAll(async () => {
    [debug, info] = await Promise.all([
      startRuntimeProcess({
        ...makeWorkspace({ 'thanks.yaml': REPLY_RULE }),
        env: { FOGHORN_LOG_LEVEL: 'debug', FOGHORN_SANDBOX: 'true' },
      }),
      startRuntimeProcess({ ...makeWorkspace({ 'thanks.yaml': REPLY_RULE }), env: { FOGHORN_SANDBOX: 'true' } }),
    ]);
    for (const runtime of [debug, info]) {
      const answer = await postGeneric(runtime.url, {
        id: 'log-1',
        kind: 'message',
        text: secretText,
        author: { id: 'a-1', name: 'Ada' },
        channel: { id: 'c' },
      });
      expect(answer.status).toBe(200);
    }
    await Promise.all([waitForQueuesToDrain(debug.url), waitForQueuesToDrain(info.url)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([debug?.stop(), info?.stop()]);
  });

  it('prints every line as a JSON record, but the banner and the sign-in link, which stay as people read them', () => {
    const lines = debug.output().split('\n');
    expect(lines).toContain(`foghorn is listening {"url":"${debug.url}"}`);
    expect(lines.some((line) => /^http:\/\/127\.0\.0\.1:\d+\/login\?token=[A-Za-z0-9_-]{43}$/.test(line))).toBe(true);
    for (const record of records(debug.output())) {
      expect(record).toMatchObject({
        level: expect.stringMatching(/^(DEBUG|INFO|WARN|ERROR)$/),
        message: expect.any(String),
        service: 'foghorn',
      });
      expect(Date.parse(String(record.timestamp))).not.toBeNaN();
    }
    expect(records(debug.output())).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'foghorn is listening', url: debug.url }),
    );
  });

  it('at debug, one line per event (id, platform, kind) and per action (id, type, status)', async () => {
    const events = await waitFor('the event line', async () => {
      const found = records(debug.output()).filter((record) => record.message === 'event evaluated');
      return found.length > 0 ? found : undefined;
    });
    expect(events).toEqual([
      expect.objectContaining({ level: 'DEBUG', id: 'generic:log-1', platform: 'generic', kind: 'message', rules: ['thank-everyone'] }),
    ]);
    const actions = records(debug.output()).filter((record) => record.message === 'action completed');
    expect(
      actions.map(({ type, status, rule }) => ({ type, status, rule })).sort((a, b) => String(a.type).localeCompare(String(b.type))),
    ).toEqual([
      { type: 'reply', status: 'succeeded', rule: 'thank-everyone' },
      { type: 'tag', status: 'succeeded', rule: 'thank-everyone' },
    ]);
    for (const action of actions) expect(action.id).toMatch(/^act_/);
  });

  it('never logs the text of an event or a reply, nor the sign-in token', () => {
    const token = /\/login\?token=([A-Za-z0-9_-]{43})$/m.exec(debug.output())?.[1];
    expect(token).toBeDefined();
    const logged = records(debug.output())
      .map((record) => JSON.stringify(record))
      .join('\n');
    expect(logged).not.toContain('4111');
    expect(logged).not.toContain('Thanks Ada');
    expect(logged).not.toContain(token);
  });

  it('at the default level (info), no debug line', () => {
    const levels = new Set(records(info.output()).map((record) => record.level));
    expect(levels.has('INFO')).toBe(true);
    expect(levels.has('DEBUG')).toBe(false);
  });

  it('refuses an unknown level at start, naming the levels', async () => {
    await expect(startRuntimeProcess({ ...makeWorkspace({}), env: { FOGHORN_LOG_LEVEL: 'loud' } })).rejects.toThrow(
      "foghorn could not start: FOGHORN_LOG_LEVEL must be one of debug, info, warn, error, got 'loud'",
    );
  });
});
