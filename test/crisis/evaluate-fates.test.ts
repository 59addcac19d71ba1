import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';

// The captured sequence: outage reports turn crisis mode on; the FAQ question after them is held, as the runtime holds it.
const RULES = `
- id: outage-spike
  when: { all: [{ fact: text, operator: containsAny, value: ["outage"] }] }
  volume: { atLeast: 3, within: 10m, quiet: 15m }
  then:
    - escalate: { target: oncall, severity: critical, summary: "Outage reports" }
    - crisis: on
- id: faq
  when: { all: [{ fact: text, operator: containsAny, value: ["price"] }] }
  then: [{ reply: { text: "Our prices are on example.com/pricing" } }]
  limits: { perAuthor: 1/24h }
- id: refunds
  when: { all: [{ fact: text, operator: containsAny, value: ["money back"] }] }
  then: [{ reply: { text: "You can ask for a refund at example.com/refund" } }]
- id: terms
  when: { all: [{ fact: text, operator: containsAny, value: ["terms"] }] }
  then: [{ reply: { text: "${'All terms apply. '.repeat(300)}" } }]
- id: unanswered
  when: { all: [{ fact: text, operator: containsAny, value: ["help"] }] }
  after: 10m
  then: [{ escalate: { target: oncall, summary: "Unanswered for 10 minutes" } }]
`;

const CONFIG = `targets:
  oncall: { type: pagerduty, routingKey: FOGHORN_PD_KEY }
crisis:
  sensitiveTerms: [refund]
`;

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
function event(id: string, seconds: number, fields: Record<string, unknown> = {}) {
  const at = new Date(T0 + seconds * 1000).toISOString();
  return JSON.stringify({
    id: `telegram:${id}`,
    platform: 'telegram',
    kind: 'message',
    text: 'hello',
    author: { id: `a-${id}` },
    channel: { id: 'c' },
    thread: { id: `t-${id}` },
    createdAt: at,
    receivedAt: at,
    ...fields,
  });
}

interface Line {
  event: string;
  rules: string[];
  actions: Array<Record<string, unknown>>;
  suppressed?: Array<Record<string, unknown>>;
  sweep?: string;
  dueAt?: string;
}

async function evaluate(lines: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-fates-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'rules.yaml'), RULES);
  writeFileSync(join(dir, 'foghorn.config.yaml'), CONFIG);
  writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), env: {}, cwd: dir };
  const code = await main(['evaluate', '--rules', join(dir, 'rules'), '--events', join(dir, 'events.jsonl')], io);
  return { code, err, lines: out.map((line) => JSON.parse(line) as Line) };
}

describe('foghorn evaluate prints the fate each action would meet in the runtime', () => {
  it('after a spike turns crisis mode on, the FAQ reply is held for crisis mode, not a plain reply', async () => {
    const { code, err, lines } = await evaluate([
      event('q0', 0, { text: 'what is the price?' }),
      event('o1', 10, { text: 'outage!' }),
      event('o2', 20, { text: 'outage here' }),
      event('o3', 30, { text: 'outage again' }),
      event('q1', 40, { text: 'the price please' }),
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(lines[0]!.actions).toEqual([expect.objectContaining({ type: 'reply', rule: 'faq', fate: 'would send' })]);
    expect(lines[3]!.actions).toEqual([
      expect.objectContaining({ type: 'escalate', rule: 'outage-spike', fate: 'would send' }),
      expect.objectContaining({ type: 'crisis', rule: 'outage-spike', fate: 'would run' }),
    ]);
    expect(lines[4]!.event).toBe('telegram:q1');
    expect(lines[4]!.actions).toEqual([
      expect.objectContaining({
        type: 'reply',
        rule: 'faq',
        fate: 'held: crisis mode',
        reason: expect.stringMatching(/^crisis mode is on/),
      }),
    ]);
  });

  it('a reply with a sensitive term is held by the outgoing guard', async () => {
    const { lines } = await evaluate([event('m1', 0, { text: 'I want my money back' })]);
    expect(lines[0]!.actions).toEqual([expect.objectContaining({ type: 'reply', rule: 'refunds', fate: "held: sensitive term 'refund'" })]);
  });

  it('the second question from one author is suppressed by perAuthor', async () => {
    const { lines } = await evaluate([
      event('p1', 0, { text: 'price?', author: { id: 'same' } }),
      event('p2', 60, { text: 'price again?', author: { id: 'same' } }),
    ]);
    expect(lines[1]!.rules).toEqual(['faq']);
    expect(lines[1]!.actions).toEqual([]);
    expect(lines[1]!.suppressed).toEqual([
      expect.objectContaining({
        type: 'reply',
        rule: 'faq',
        fate: 'suppressed: perAuthor',
        reason: expect.stringMatching(/^perAuthor limit/),
      }),
    ]);
  });

  it('a text over the platform limit is held as too long (overflow: hold)', async () => {
    const { lines } = await evaluate([event('t1', 0, { text: 'your terms?' })]);
    expect(lines[0]!.actions).toEqual([
      expect.objectContaining({ type: 'reply', rule: 'terms', fate: 'held: too long (5,100 characters; telegram allows 4,096)' }),
    ]);
  });

  it('lines from the sweep (an SLA breach, a resolve) are marked, with their dueAt', async () => {
    const { lines } = await evaluate([
      event('h1', 0, { text: 'help' }),
      event('o1', 10, { text: 'outage' }),
      event('o2', 20, { text: 'outage' }),
      event('o3', 30, { text: 'outage' }),
      event('later', 60 * 60),
    ]);
    expect(lines[0]!.suppressed).toEqual([
      expect.objectContaining({ type: 'escalate', rule: 'unanswered', fate: 'waiting: after', dueAt: '2026-11-22T10:10:00.000Z' }),
    ]);
    const swept = lines.filter((line) => line.sweep !== undefined);
    expect(swept).toEqual([
      expect.objectContaining({
        sweep: 'sla breach',
        dueAt: '2026-11-22T10:10:00.000Z',
        rules: ['unanswered'],
        actions: [expect.objectContaining({ type: 'escalate', fate: 'would send' })],
      }),
      expect.objectContaining({
        sweep: 'resolve',
        event: 'telegram:o3',
        dueAt: '2026-11-22T10:15:30.000Z',
        actions: [expect.objectContaining({ type: 'escalate', resolve: true, fate: 'would send' })],
      }),
    ]);
    expect(lines.at(-1)!.event).toBe('telegram:later');
  });
});
