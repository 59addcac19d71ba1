import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';

const RULES = `
- id: outage-spike
  when: { all: [{ fact: text, operator: containsAny, value: ["outage"] }] }
  volume: { atLeast: 30, within: 10m, quiet: 15m }
  then: [{ escalate: { target: oncall, severity: critical, summary: "Outage reports" } }]
  onQuiet: [{ tag: outage-over }]
- id: unanswered
  when: { all: [{ fact: kind, operator: equal, value: message }, { fact: text, operator: containsAny, value: ["help"] }] }
  after: 10m
  then: [{ escalate: { target: oncall, summary: "Unanswered for 10 minutes" } }]
`;

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
function event(id: string, seconds: number, fields: Record<string, unknown> = {}) {
  const at = new Date(T0 + seconds * 1000).toISOString();
  return JSON.stringify({
    id: `generic:${id}`,
    platform: 'generic',
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

async function evaluate(lines: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-crisis-cli-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'rules.yaml'), RULES);
  writeFileSync(join(dir, 'foghorn.config.yaml'), 'targets:\n  oncall: { type: pagerduty, routingKey: FOGHORN_PD_KEY }\n');
  writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), env: {}, cwd: dir };
  const code = await main(['evaluate', '--rules', join(dir, 'rules'), '--events', join(dir, 'events.jsonl')], io);
  return {
    code,
    err,
    lines: out.map((line) => JSON.parse(line) as { event: string; rules: string[]; actions: Array<Record<string, unknown>> }),
  };
}

describe('foghorn evaluate with volume and after rules', () => {
  it('35 outage reports in 6 minutes escalate once; the next event after the quiet period brings the resolve', async () => {
    const lines = Array.from({ length: 35 }, (_, i) => event(`o${i}`, i * 10, { text: `outage ${i}` }));
    lines.push(event('later', 35 * 10 + 16 * 60));
    const { code, lines: out, err } = await evaluate(lines);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const escalations = out.flatMap((line) =>
      line.actions.filter((action) => action.type === 'escalate').map((action) => ({ event: line.event, ...action })),
    );
    expect(escalations).toEqual([
      expect.objectContaining({ event: 'generic:o29', rule: 'outage-spike', incident: expect.stringMatching(/^spike:outage-spike:/) }),
      expect.objectContaining({
        event: 'generic:o29',
        rule: 'outage-spike',
        resolve: true,
        summary: 'Resolved: Outage reports (quiet for 15 min after 35 events)',
      }),
    ]);
    expect(out.at(-1)!.event).toBe('generic:later');
    // The onQuiet actions come out with the resolve, once.
    const quiet = out.flatMap((line) => line.actions.filter((action) => action.type === 'tag'));
    expect(quiet).toEqual([expect.objectContaining({ rule: 'outage-spike', tags: ['outage-over'] })]);
  });

  it('a message with no answer escalates when the clock passes minute 10; an answered one never', async () => {
    const { lines: out } = await evaluate([
      event('m1', 0, { text: 'help!' }),
      event('m2', 0, { text: 'help me' }),
      event('answer', 5 * 60, { kind: 'reply', author: { id: 'agent', isSelf: true }, thread: { id: 't-m2', replyToId: 't-m2' } }),
      event('tick9', 9 * 60 + 59),
      event('tick10', 10 * 60),
      event('tick40', 40 * 60),
    ]);
    expect(out.map((line) => line.event)).toEqual([
      'generic:m1',
      'generic:m2',
      'generic:answer',
      'generic:tick9',
      expect.stringMatching(/^generic:sla-breached:/),
      'generic:tick10',
      'generic:tick40',
    ]);
    expect(out[4]).toMatchObject({
      rules: ['unanswered'],
      actions: [{ type: 'escalate', rule: 'unanswered', summary: 'Unanswered for 10 minutes' }],
    });
    expect(out[0]!.actions).toEqual([]);
  });
});
