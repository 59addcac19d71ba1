import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { type ReceivedRequest, startLoopback } from '../support/loopback.js';

/** The crisis, approvals and audit commands against a loopback server that plays the runtime's API. */
function io(url: string) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), env: { FOGHORN_URL: url }, cwd: process.cwd() };
  return { value, out, err };
}

const approval = {
  id: 'act_1',
  status: 'pending',
  reason: 'crisis mode is on',
  heldBy: 'crisis',
  createdAt: '2026-11-22T10:00:00.000Z',
  expiresAt: '2026-11-23T10:00:00.000Z',
  command: { type: 'reply', ruleId: 'faq-hours', eventId: 'generic:e1', params: { text: 'We are open 9-18.' } },
};

describe('foghorn crisis / approvals / audit', () => {
  let api: Awaited<ReturnType<typeof startLoopback>>;
  beforeAll(async () => {
    api = await startLoopback((request: ReceivedRequest) => {
      if (request.url === '/api/crisis')
        return {
          status: 200,
          body: JSON.stringify({ crisis: { on: true, since: '2026-11-22T10:00:00.000Z', by: 'maya', why: 'outage', version: 1 } }),
        };
      if (request.url === '/api/crisis/on')
        return { status: 200, body: JSON.stringify({ changed: true, crisis: { on: true, since: '2026-11-22T10:00:00.000Z' } }) };
      if (request.url.startsWith('/api/approvals?')) return { status: 200, body: JSON.stringify({ approvals: [approval] }) };
      if (request.url === '/api/approvals/act_1/approve')
        return { status: 200, body: JSON.stringify({ approval: { ...approval, status: 'approved' } }) };
      if (request.url === '/api/approvals/act_1/reject')
        return { status: 409, body: JSON.stringify({ error: "approval 'act_1' is approved; it cannot be rejected", detail: null }) };
      if (request.url.startsWith('/api/audit?'))
        return {
          status: 200,
          body: JSON.stringify({
            audit: [{ id: 'x', at: '2026-11-22T10:00:00.000Z', kind: 'crisis', what: 'crisis.on', who: 'maya', why: 'outage' }],
          }),
        };
      return { status: 404, body: '{"error":"no route"}' };
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it('crisis status and on send the right requests and print the state', async () => {
    const status = io(api.url);
    expect(await main(['crisis', 'status'], status.value)).toBe(0);
    expect(status.out).toEqual(['crisis mode is ON since 2026-11-22T10:00:00.000Z (by maya: outage)']);
    const on = io(api.url);
    expect(await main(['crisis', 'on', '--who', 'maya', '--why', 'login outage'], on.value)).toBe(0);
    expect(JSON.parse(api.received.at(-1)!.body)).toEqual({ who: 'maya', why: 'login outage' });
    expect(on.out).toEqual(['crisis mode is now ON (2026-11-22T10:00:00.000Z)']);
  });

  it('crisis on without --why is a usage error (exit 2) and sends nothing', async () => {
    const before = api.received.length;
    const run = io(api.url);
    expect(await main(['crisis', 'on', '--who', 'maya'], run.value)).toBe(2);
    expect(run.err.join('\n')).toContain('--who and --why');
    expect(api.received).toHaveLength(before);
  });

  it("approvals list, approve, and a refused reject with the API's message", async () => {
    const list = io(api.url);
    expect(await main(['approvals', '--status', 'pending'], list.value)).toBe(0);
    expect(api.received.at(-1)!.url).toBe('/api/approvals?status=pending&limit=100');
    expect(list.out[0]).toContain('act_1  pending  reply by faq-hours on generic:e1 "We are open 9-18."  held: crisis mode is on');
    const approve = io(api.url);
    expect(await main(['approvals', 'approve', 'act_1', '--who', 'maya', '--note', 'ok'], approve.value)).toBe(0);
    expect(JSON.parse(api.received.at(-1)!.body)).toEqual({ who: 'maya', note: 'ok' });
    expect(approve.out).toEqual(['act_1 is approved and is being sent']);
    const reject = io(api.url);
    expect(await main(['approvals', 'reject', 'act_1', '--who', 'li', '--reason', 'late'], reject.value)).toBe(1);
    expect(reject.err.join('\n')).toContain("answered 409: approval 'act_1' is approved; it cannot be rejected");
  });

  it('audit prints one line per entry, newest first', async () => {
    const run = io(api.url);
    expect(await main(['audit', '--limit', '5'], run.value)).toBe(0);
    expect(api.received.at(-1)!.url).toBe('/api/audit?limit=5');
    expect(run.out).toEqual(['2026-11-22T10:00:00.000Z  crisis.on  by maya  (outage)']);
  });

  it('names the URL when Foghorn is not running', async () => {
    const run = io('http://127.0.0.1:9');
    expect(await main(['audit'], run.value)).toBe(1);
    expect(run.err.join('\n')).toContain('cannot reach Foghorn at http://127.0.0.1:9');
  });
});
