import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { ruleDir } from '../rules/support.js';

const run = promisify(execFile);

/** Runs bin/foghorn.js as a user would, with plain node. */
async function foghorn(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/foghorn.js', ...args], {
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs the CLI in process, capturing what it writes. */
async function foghornInProcess(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), env: { ...env }, cwd: process.cwd() };
  const code = await main(args, io);
  return { code, out, err };
}

const CONFIG = 'targets: { oncall: {} }\nlimits: { repliesPerAuthorPerDay: 5 }\n';
const FAQ = `id: faq-hours
when: { all: [{ fact: text, operator: containsAny, value: ["opening hours", "ساعت کاری"] }] }
then: [{ reply: { text: { fa: "ساعت ۹ تا ۱۸", default: "9 to 18, {{author.name}}" } } }]
limits: { perAuthor: 1/24h }
tests:
  - name: fires
    event: { text: "opening hours?" }
    expect: { fires: true, actions: [{ type: reply, text: "9 to 18, " }] }
`;

function event(id: string, text: string, author: string, lang?: string): string {
  return JSON.stringify({
    id,
    platform: 'generic',
    kind: 'message',
    text,
    ...(lang ? { lang } : {}),
    author: { id: author, name: 'Sam' },
    channel: { id: 'c' },
    createdAt: '2026-01-05T10:00:00Z',
    receivedAt: '2026-01-05T10:00:00Z',
  });
}

describe('bin/foghorn.js (as a process)', () => {
  it('rules validate: the starter rules are valid (exit 0)', async () => {
    const result = await foghorn(['rules', 'validate', 'rules']);
    expect(result.stdout).toMatch(/^\d+ rules? in \d+ files?: valid\n$/);
    expect(result.code).toBe(0);
  });

  it('rules validate: every problem with file and line, exit 1', async () => {
    const dir = ruleDir({
      'foghorn.config.yaml': CONFIG,
      'rules/bad.yaml':
        'id: bad\nwhen: { all: [{ fact: txt, operator: equal, value: 1 }] }\nthen: [{ escalate: { target: pager, summary: s } }]\n',
    });
    const result = await foghorn(['rules', 'validate', join(dir, 'rules')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("bad.yaml:2: bad › when.all[0].fact: unknown fact 'txt' (did you mean 'text'?)");
    expect(result.stderr).toContain("bad.yaml:3: bad › then[0].escalate.target: unknown target 'pager' (declared targets: oncall)");
    expect(result.stderr).toContain('2 problems in 1 file');
  });

  it("rules test: runs every rule's tests (the starter set passes)", async () => {
    const result = await foghorn(['rules', 'test']);
    expect(result.stdout).toMatch(/\n(\d+) passed, 0 failed\n$/);
    expect(result.code).toBe(0);
  });

  it('evaluate: one JSON line per event, limits applying across the file', async () => {
    const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/faq.yaml': FAQ });
    const events = join(dir, 'events.jsonl');
    writeFileSync(
      events,
      [event('generic:1', 'ساعت کاری؟', 'a', 'fa'), event('generic:2', 'opening hours', 'a'), event('generic:3', 'hello', 'b')].join('\n'),
    );
    const result = await foghorn(['evaluate', '--rules', join(dir, 'rules'), '--events', events]);
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      {
        event: 'generic:1',
        rules: ['faq-hours'],
        actions: [{ type: 'reply', rule: 'faq-hours', lang: 'fa', text: 'ساعت ۹ تا ۱۸', fate: 'would send' }],
      },
      {
        event: 'generic:2',
        rules: ['faq-hours'],
        actions: [],
        // The same author's second question: the rule held, its reply is kept back by the limit, and the line says so.
        suppressed: [
          {
            type: 'reply',
            rule: 'faq-hours',
            index: 0,
            fate: 'suppressed: perAuthor',
            reason: 'perAuthor limit: this author already had 1 in 1d',
          },
        ],
      },
      { event: 'generic:3', rules: [], actions: [] },
    ]);
  });
});

describe('foghorn (in process)', () => {
  it('rules test: reports a failing expectation and exits 1', async () => {
    const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/faq.yaml': FAQ.replace('text: "9 to 18, "', 'text: "nine to six"') });
    const result = await foghornInProcess(['rules', 'test', join(dir, 'rules')]);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`  ✗ faq-hours › fires  (${join(dir, 'rules/faq.yaml')})`);
    expect(result.out).toContain('      action 1: expected text "nine to six", got "9 to 18, "');
    expect(result.out.at(-1)).toBe('\n0 passed, 1 failed');
  });

  it('evaluate --explain --now: adds each condition with its fact value and outcome', async () => {
    const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/faq.yaml': FAQ });
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `${event('generic:9', 'what are your hours', 'a')}\n`);
    const result = await foghornInProcess([
      'evaluate',
      '--rules',
      join(dir, 'rules'),
      '--events',
      events,
      '--explain',
      '--now',
      '2026-02-01T08:00:00Z',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out[0]!)).toEqual({
      event: 'generic:9',
      rules: [],
      actions: [],
      lang: 'en (from: text, by: cld3)',
      explain: [
        {
          rule: 'faq-hours',
          outcome: 'no-match',
          conditions: {
            operator: 'all',
            result: false,
            conditions: [
              {
                operator: 'containsAny',
                fact: 'text',
                value: ['opening hours', 'ساعت کاری'],
                factValue: 'what are your hours',
                result: false,
              },
            ],
          },
        },
      ],
    });
  });

  it('evaluate: reports lines that are not events, evaluates the rest, exits 1', async () => {
    const dir = ruleDir({ 'foghorn.config.yaml': CONFIG, 'rules/faq.yaml': FAQ });
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, `not json\n{"id": "x", "kind": "telepathy"}\n${event('generic:1', 'opening hours', 'a')}\n`);
    const result = await foghornInProcess(['evaluate', '--rules', join(dir, 'rules'), '--events', events]);
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/events\.jsonl:1: not JSON/);
    expect(result.err[1]).toBe(
      `${events}:2: not an event: kind: "telepathy" is not one of message, mention, comment, reply, review, dm, post, reaction, sla.breached, ticket.solved, system, other`,
    );
    expect(result.out).toHaveLength(1);
  });

  it('explains wrong usage with exit 2', async () => {
    expect((await foghornInProcess(['nonsense'])).code).toBe(2);
    expect((await foghornInProcess(['evaluate', '--rules', 'rules'])).err[0]).toContain('--events FILE is required (- reads stdin)');
    expect((await foghornInProcess(['evaluate', '--events', 'x', '--bogus'])).code).toBe(2);
    expect((await foghornInProcess(['rules', 'validate', '/no/such/dir'])).err[0]).toContain('does not exist');
  });

  it('uses FOGHORN_CONFIG when set', async () => {
    const dir = ruleDir({
      'other.yaml': 'targets: { pager: {} }\n',
      'rules/r.yaml':
        'id: r\nwhen: { all: [{ fact: kind, operator: equal, value: message }] }\nthen: [{ escalate: { target: pager, summary: s } }]\n',
    });
    expect((await foghornInProcess(['rules', 'validate', join(dir, 'rules')])).code).toBe(1);
    expect((await foghornInProcess(['rules', 'validate', join(dir, 'rules')], { FOGHORN_CONFIG: join(dir, 'other.yaml') })).code).toBe(0);
  });
});
