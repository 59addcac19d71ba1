import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backtest } from '../../cli/backtest.js';
import { backtestLines } from '../../cli/commands/backtest.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { compileRuleDirectory } from '../../functions/rules/index.js';
import { makeEvent, ruleDir } from '../rules/support.js';
import { runFoghorn } from '../support/cli.js';
import { startLoopback } from '../support/loopback.js';

const CONFIG = 'targets: { oncall: {} }\n';
const faq = (limits: string) => `id: faq
when: { all: [{ fact: text, operator: containsAny, value: ["opening hours"] }] }
then: [{ reply: { text: { default: "9 to 18" } } }]
${limits}`;
const REFUND = 'id: refund\nwhen: { all: [{ fact: text, operator: containsAny, value: ["refund"] }] }\nthen: [{ tag: [refund] }]\n';

/** The live rules answer an author once a day; the change drops the limit and the refund rule. */
function folders() {
  const dir = ruleDir({
    'foghorn.config.yaml': CONFIG,
    'live/faq.yaml': faq('limits: { perAuthor: 1/24h }\n'),
    'live/refund.yaml': REFUND,
    'next/faq.yaml': faq(''),
  });
  return { live: join(dir, 'live'), next: join(dir, 'next') };
}

const minute = (n: number) => new Date(Date.parse('2026-01-05T10:00:00Z') + n * 60_000).toISOString();
const ARCHIVE = [
  makeEvent({ id: 'generic:3', text: 'opening hours???', author: { id: 'sam' }, receivedAt: minute(3) }),
  makeEvent({ id: 'generic:1', text: 'opening hours?', author: { id: 'sam' }, receivedAt: minute(1) }),
  makeEvent({ id: 'generic:2', text: 'opening hours??', author: { id: 'sam' }, receivedAt: minute(2) }),
  makeEvent({ id: 'generic:4', text: 'refund\nplease', author: { id: 'kim' }, receivedAt: minute(4) }),
];

async function compiled(dir: string) {
  return compileRuleDirectory(dir, { extensions: ruleLanguage });
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('backtest', () => {
  it('replays the archive in time order through both rule sets, limits included, and compares per rule', async () => {
    const { live, next } = folders();
    const report = await backtest(ARCHIVE, await compiled(next), await compiled(live), { samples: 1 });
    expect(report).toEqual({
      events: 4,
      first: minute(1),
      last: minute(4),
      rules: [
        {
          rule: 'faq',
          in: 'both',
          wouldFire: 3,
          // The same author's second and third question are kept back by perAuthor in the live rules.
          firesNow: 1,
          difference: 2,
          newlyFiring: { count: 2, samples: [{ id: 'generic:2', text: 'opening hours??' }] },
          noLongerFiring: { count: 0, samples: [] },
        },
        {
          rule: 'refund',
          in: 'live',
          wouldFire: 0,
          firesNow: 1,
          difference: -1,
          newlyFiring: { count: 0, samples: [] },
          noLongerFiring: { count: 1, samples: [{ id: 'generic:4', text: 'refund\nplease' }] },
        },
      ],
    });
  });

  it('prints the table, then samples of the events that differ', async () => {
    const { live, next } = folders();
    const report = await backtest(ARCHIVE, await compiled(next), await compiled(live), { samples: 1 });
    expect(backtestLines(report, { from: 'events.jsonl', newRules: 'next', liveRules: 'live' })).toEqual([
      `replayed 4 events from events.jsonl (received ${minute(1)} to ${minute(4)})`,
      'new rules: next; live rules: live',
      '',
      'rule    would fire  fires now  difference',
      'faq     3           1          +2',
      'refund  0           1          -1          removed',
      '',
      'faq: would fire, does not now (2):',
      '    generic:2  opening hours??',
      '    … and 1 more',
      '',
      'refund: fires now, would not (1):',
      '    generic:4  refund please',
    ]);
  });
});

describe('foghorn backtest', () => {
  it('reads --events - (JSON lines), draws a progress bar only when stderr is a terminal, and prints --json', async () => {
    const { live, next } = folders();
    const stdin = ARCHIVE.map((event) => JSON.stringify(event)).join('\n');
    const drawn: string[] = [];
    const tty = await runFoghorn(['backtest', '--rules', next, '--live', live, '--events', '-', '--json'], {
      stdin,
      progress: (text) => drawn.push(text),
    });
    expect(tty.code).toBe(0);
    expect(tty.err).toEqual([]);
    const report = JSON.parse(tty.out[0]!);
    expect(report).toMatchObject({ from: 'stdin', events: 4, since: null, newRules: next, liveRules: live });
    expect(report.rules.map((rule: { rule: string; difference: number }) => [rule.rule, rule.difference])).toEqual([
      ['faq', 2],
      ['refund', -1],
    ]);
    expect(drawn[0]).toMatch(/^\rreplaying \[#{8}-{22}\] {2}25% 1\/4 events$/);
    expect(drawn.at(-2)).toMatch(/^\rreplaying \[#{30}\] 100% 4\/4 events$/);
    // Cleared at the end, so the report starts on a clean line.
    expect(drawn.at(-1)).toMatch(/^\r +\r$/);

    const pipe = await runFoghorn(['backtest', '--rules', next, '--live', live, '--events', '-'], { stdin });
    expect(pipe.code).toBe(0);
    expect(pipe.err).toEqual([]);
    expect(pipe.out).toContain('faq     3           1          +2');
  });

  it('keeps to --since and --until on a file, and replays nothing when an item is not an event (exit 1)', async () => {
    const { live, next } = folders();
    const args = ['backtest', '--rules', next, '--live', live, '--events', '-', '--json'];
    const window = await runFoghorn([...args, '--since', minute(2), '--until', minute(3)], { stdin: JSON.stringify(ARCHIVE) });
    expect(window.code).toBe(0);
    expect(JSON.parse(window.out[0]!)).toMatchObject({ events: 1, first: minute(2), last: minute(2) });

    const bad = await runFoghorn(args, { stdin: '{"text":"opening hours"}\n{"kind":"mesage"}\n' });
    expect(bad.code).toBe(1);
    expect(bad.err).toEqual([
      `stdin:2: not an event: kind: "mesage" is not one of message, mention, comment, reply, review, dm, post, reaction, sla.breached, ticket.solved, system, other (did you mean 'message'?)`,
      "foghorn backtest: 1 of the input's items are not events; nothing was replayed",
    ]);
    expect(bad.out).toEqual([]);
  });

  it('fetches the last 7 days from the runtime, and says when its rules in force are not the live folder', async () => {
    const { live, next } = folders();
    const api = await startLoopback((request) =>
      request.url.startsWith('/api/rules')
        ? { status: 200, body: JSON.stringify({ rules: [{ id: 'faq' }, { id: 'vip' }] }) }
        : { status: 200, body: JSON.stringify({ events: [...ARCHIVE].reverse(), next: null }) },
    );
    close = api.close;
    const before = Date.now();
    const run = await runFoghorn(['backtest', '--rules', next, '--json'], { env: { FOGHORN_URL: api.url, FOGHORN_RULES: live } });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out[0]!)).toMatchObject({ from: api.url, events: 4, liveRules: live });
    const since = new URL(api.received[0]!.url, api.url).searchParams.get('since')!;
    expect(Math.abs(Date.parse(since) - (before - 7 * 86_400_000))).toBeLessThan(60_000);
    expect(run.err).toEqual([
      `foghorn backtest: the live rules folder does not hold the rules in force at ${api.url}; in force, not in the folder: vip; in the folder, not in force: refund (give the live rules with --live DIR)`,
    ]);
  });

  it('warns when the changed and the live rules are one folder, and needs --rules (exit 2)', async () => {
    const { live } = folders();
    const same = await runFoghorn(['backtest', '--rules', live, '--live', live, '--events', '-'], { stdin: '[]' });
    expect(same.code).toBe(0);
    expect(same.err[0]).toContain('the changed rules and the live rules are the same folder');
    const missing = await runFoghorn(['backtest', '--events', '-']);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toContain("required option '--rules <dir>' not specified");
  });
});
