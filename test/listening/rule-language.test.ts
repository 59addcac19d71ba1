import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { parseFoghornConfig } from '../../functions/rules/config.js';
import { compileRuleObjects } from '../../functions/rules/loader.js';

const options = { extensions: ruleLanguage };
const config = parseFoghornConfig(
  {
    targets: { comms: {} },
    listen: [
      { id: 'forums', type: 'feed', urls: ['https://forum.example/c/banks.rss'], every: '10m' },
      { id: 'bsky-brand', type: 'bluesky-search', query: 'acme bank', every: '2m' },
    ],
  },
  'foghorn.config.yaml',
  options,
);

function problemsOf(rule: Record<string, unknown>): string[] {
  return compileRuleObjects([rule], config, options).problems.map((problem) => `${problem.path}: ${problem.message}`);
}

const reply = { reply: { text: { default: 'Thanks for writing about us' } } };

describe('a rule that replies to feed items', () => {
  it('is refused at validation when its conditions pin it to the feed platform', () => {
    const problems = problemsOf({
      id: 'answer-news',
      when: { all: [{ fact: 'platform', operator: 'equal', value: 'feed' }] },
      then: [reply],
    });
    expect(problems).toEqual([
      expect.stringContaining('feed items cannot be answered (a feed has no one to reply to): escalate, tag or route them instead'),
    ]);
    expect(problems[0]).toMatch(/^then\[0\]\.reply/);
  });

  it('is refused when it pins meta.source to a feed source', () => {
    expect(
      problemsOf({ id: 'answer-forum', when: { all: [{ fact: 'meta.source', operator: 'in', value: ['forums'] }] }, then: [reply] }),
    ).toHaveLength(1);
  });

  it('may escalate feed items, and reply to a source that can be answered', () => {
    expect(
      problemsOf({
        id: 'news-to-comms',
        when: { all: [{ fact: 'platform', operator: 'equal', value: 'feed' }] },
        then: [{ escalate: { target: 'comms', summary: 'In the news: {{text}}' } }],
      }),
    ).toEqual([]);
    expect(
      problemsOf({ id: 'answer-bsky', when: { all: [{ fact: 'meta.source', operator: 'equal', value: 'bsky-brand' }] }, then: [reply] }),
    ).toEqual([]);
  });
});
