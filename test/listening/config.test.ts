import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { LISTEN_TYPES, parseListenSection } from '../../functions/listening/config.js';
import { listeningTypes } from '../../functions/listening/index.js';
import { readFoghornConfig } from '../../functions/rules/config.js';
import { ruleDir } from '../rules/support.js';
import { runFoghorn } from '../support/cli.js';

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'foghorn-listen-config-')), 'foghorn.config.yaml');
  writeFileSync(path, text);
  return path;
}

/** Why the config at `path` is refused (empty when it is not). */
function refusal(path: string): string {
  try {
    readFoghornConfig(path, { extensions: ruleLanguage });
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the listen: section of foghorn.config.yaml', () => {
  it('reads sources with their durations, the first backfill bounded by since (default 1h)', () => {
    const path = configFile(`timezone: UTC
listen:
  - { id: bsky-brand, type: bluesky-search, query: 'acme bank', every: 2m }
  - { id: forums, type: feed, urls: [https://forum.example/c/banks.rss, https://news.example/atom.xml], every: 10m, since: 1d, alertAfter: 3, escalate: oncall }
targets:
  oncall: {}
`);
    const config = readFoghornConfig(path, { extensions: ruleLanguage });
    expect(parseListenSection((config as Record<string, unknown>).listen)).toEqual([
      { id: 'bsky-brand', type: 'bluesky-search', every: '2m', everyMs: 120_000, sinceMs: 3_600_000, self: [], query: 'acme bank' },
      {
        id: 'forums',
        type: 'feed',
        every: '10m',
        everyMs: 600_000,
        sinceMs: 86_400_000,
        alertAfter: 3,
        escalate: 'oncall',
        self: [],
        urls: ['https://forum.example/c/banks.rss', 'https://news.example/atom.xml'],
      },
    ]);
  });

  it('refuses a bad source naming the file, the line and the field, with a near miss suggested', () => {
    const path = configFile(`timezone: UTC
listen:
  - id: forums
    type: fed
    urls: [https://forum.example/c/banks.rss]
    every: 10m
  - id: bsky
    type: bluesky-search
    qurey: acme bank
    every: often
  - { id: bsky, type: feed, urls: [ftp://old.example/feed], every: 10s, escalate: oncall }
`);
    const message = refusal(path);
    expect(message).toContain(
      `${path}:4: listen.0.type: unknown source type "fed" (did you mean 'feed'?); known: feed, bluesky-search, x-search, reddit-search, mastodon, youtube-comments`,
    );
    expect(message).toContain(`${path}:9: listen.1.qurey: unknown key 'qurey' (did you mean 'query'?)`);
    expect(message).toContain(`${path}:7: listen.1.query: a bluesky-search source needs query`);
    expect(message).toContain(`${path}:10: listen.1.every: must be a duration such as 30s, 10m, 24h or 7d, got "often"`);
    expect(message).toContain(`${path}:11: listen.2.id: 'bsky' is used by another source`);
    expect(message).toContain('listen.2.urls.0: must be an http(s) URL, got "ftp://old.example/feed"');
    expect(message).toContain("listen.2.every: must be at least 30s, got '10s'");
    expect(message).toContain('listen.2.escalate: needs alertAfter');
  });

  it('refuses an escalate: naming no declared target, with the file, the line, the field and the near miss', () => {
    const path = configFile(`timezone: UTC
targets:
  oncall: {}
  comms: {}
listen:
  - { id: forums, type: feed, urls: [https://forum.example/c/banks.rss], every: 10m, alertAfter: 3, escalate: comms }
  - { id: bsky, type: bluesky-search, query: acme, every: 2m, alertAfter: 3, escalate: pager }
  - id: news
    type: feed
    urls: [https://news.example/atom.xml]
    every: 10m
    alertAfter: 3
    escalate: on-call
`);
    const message = refusal(path);
    expect(message.split('\n').slice(1)).toEqual([
      `  ${path}:7: listen.1.escalate: unknown target 'pager' (declare it under targets:)`,
      `  ${path}:13: listen.2.escalate: unknown target 'on-call' (declare it under targets:; did you mean 'oncall'?)`,
    ]);
  });

  it('foghorn rules validate refuses the config of a source escalating to an undeclared target (exit 1)', async () => {
    const dir = ruleDir({
      'foghorn.config.yaml': `targets: { oncall: {} }
listen:
  - id: forums
    type: feed
    urls: [https://forum.example/c/banks.rss]
    every: 10m
    alertAfter: 3
    escalate: on-call
`,
      'rules/feed.yaml': 'id: feed-tag\nwhen: { all: [{ fact: platform, operator: equal, value: feed }] }\nthen: [{ tag: feed }]\n',
    });
    const refused = await runFoghorn(['rules', 'validate', join(dir, 'rules')]);
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toContain(
      "foghorn.config.yaml:8: listen.0.escalate: unknown target 'on-call' (declare it under targets:; did you mean 'oncall'?)",
    );

    writeFileSync(join(dir, 'foghorn.config.yaml'), readFileSync(join(dir, 'foghorn.config.yaml'), 'utf8').replace('on-call', 'oncall'));
    const accepted = await runFoghorn(['rules', 'validate', join(dir, 'rules')]);
    expect(accepted.err).toEqual([]);
    expect(accepted.code).toBe(0);
  });

  it('refuses a listen section that is not a list', () => {
    expect(() => parseListenSection({ forums: {} })).toThrow(/listen: must be a list of sources/);
  });

  it('knows exactly the types it can poll', () => {
    expect(Object.keys(listeningTypes).sort()).toEqual(Object.keys(LISTEN_TYPES).sort());
  });

  it.each(Object.keys(LISTEN_TYPES))('documents %s in docs/platforms: its credentials, quotas and what a team should expect', (type) => {
    const page = readFileSync(new URL(`../../docs/platforms/${type}.md`, import.meta.url), 'utf8');
    const headings = [...page.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(expect.arrayContaining([expect.stringMatching(/^Credentials/), 'What to expect']));
    expect(headings.some((heading) => /quotas/i.test(heading ?? ''))).toBe(true);
  });
});
