import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import {
  compileRuleObjects,
  compileSources,
  formatProblem,
  parseFoghornConfig,
  RuleConfigError,
  type RuleProblem,
} from '../../functions/rules/index.js';
import { testConfig } from './support.js';

function problemsOf(files: Record<string, string>, config = testConfig()): Array<Pick<RuleProblem, 'file' | 'line' | 'path' | 'message'>> {
  const { problems } = compileSources(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    config,
    { extensions: ruleLanguage },
  );
  return problems.map(({ file, line, path, message }) => ({ file, line, path, message }));
}

const rule = (id: string, when: string, then = '[{ tag: x }]', extra = '') => `id: ${id}\nwhen: ${when}\nthen: ${then}\n${extra}`;

describe('rule validation', () => {
  it('accepts one rule per file, a list of rules, and JSON', () => {
    const { rules, problems } = compileSources(
      [
        { file: 'one.yaml', text: rule('one', '{ all: [{ fact: kind, operator: equal, value: message }] }') },
        {
          file: 'list.yml',
          text: `- ${rule('two', '{ any: [{ fact: platform, operator: in, value: [x] }] }').replace(/\n(?=.)/g, '\n  ')}\n- id: three\n  when: { not: { fact: text, operator: containsAny, value: [spam] } }\n  then: [{ tag: y }]\n`,
        },
        {
          file: 'x.json',
          text: JSON.stringify({
            id: 'four',
            when: { all: [{ fact: 'author.verified', operator: 'equal', value: true }] },
            then: [{ tag: 'v' }],
          }),
        },
      ],
      testConfig(),
      { extensions: ruleLanguage },
    );
    expect(problems).toEqual([]);
    expect(rules.map((r) => r.id)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('names unknown facts and operators, with a suggestion', () => {
    expect(problemsOf({ 'a.yaml': rule('a', '{ all: [{ fact: author.folowers, operator: greaterThen, value: 1 }] }') })).toEqual([
      { file: 'a.yaml', line: 2, path: 'when.all[0].fact', message: "unknown fact 'author.folowers' (did you mean 'author.followers'?)" },
      { file: 'a.yaml', line: 2, path: 'when.all[0].operator', message: "unknown operator 'greaterThen' (did you mean 'greaterThan'?)" },
    ]);
  });

  it('rejects a regular expression RE2 cannot run', () => {
    const [problem] = problemsOf({ 'a.yaml': rule('a', '{ all: [{ fact: text, operator: matches, value: "(a)\\\\1" }] }') });
    expect(problem).toMatchObject({ path: 'when.all[0].value' });
    expect(problem?.message).toMatch(/^bad regular expression '\(a\)\\1': .*invalid escape/);
  });

  it('rejects unknown escalation targets and post channels, listing the declared ones', () => {
    expect(
      problemsOf({
        'a.yaml': rule(
          'a',
          '{ all: [{ fact: kind, operator: equal, value: message }] }',
          '\n  - escalate: { target: pager, summary: s }\n  - post: { channel: nowhere, text: t }',
        ),
      }).map((p) => `${p.line} ${p.path}: ${p.message}`),
    ).toEqual([
      "4 then[0].escalate.target: unknown target 'pager' (declared targets: oncall, comms)",
      "5 then[1].post.channel: unknown channel 'nowhere' (declared channels: announcements)",
    ]);
  });

  it('rejects duplicate ids across files, pointing at the first', () => {
    const when = '{ all: [{ fact: kind, operator: equal, value: message }] }';
    expect(problemsOf({ 'a.yaml': rule('same', when), 'b.yaml': rule('same', when) })).toEqual([
      { file: 'b.yaml', line: 1, path: 'id', message: "duplicate rule id 'same' (first defined at a.yaml:1)" },
    ]);
  });

  it('rejects placeholders that are not field names, and unknown fields', () => {
    const when = '{ all: [{ fact: kind, operator: equal, value: message }] }';
    expect(
      problemsOf({ 'a.yaml': rule('a', when, '[{ reply: { text: "{{#if x}}hi{{/if}}" } }, { reply: { text: "{{author.nam}}" } }]') }).map(
        (p) => p.message,
      ),
    ).toEqual([
      "'{{#if x}}' is not a field name: placeholders hold a dotted field such as {{author.name}}, nothing else",
      "unknown placeholder field '{{author.nam}}' (did you mean 'author.name'?)",
    ]);
  });

  it('asks for a default text when texts are per language', () => {
    const when = '{ all: [{ fact: kind, operator: equal, value: message }] }';
    expect(
      problemsOf({ 'a.yaml': rule('a', when, '[{ reply: { text: { en: hi, fa: سلام } } }]') }).map((p) => `${p.path}: ${p.message}`),
    ).toEqual(['then[0].reply.text: per-language texts need a `default` text for every other language']);
  });

  it('rejects phrases with no word, kebab-case violations, bad limits and unknown keys', () => {
    expect(
      problemsOf({
        'a.yaml': rule(
          'Bad_Id',
          '{ all: [{ fact: text, operator: containsAny, value: ["!!!"] }] }',
          '[{ tag: x }]',
          'limits: { perAuthor: often }\ncolour: red\n',
        ),
      }).map((p) => `${p.path}: ${p.message}`),
    ).toEqual([
      'id: kebab-case: lower-case letters, digits and single dashes',
      "when.all[0].value: phrase '!!!' holds no word to match",
      'limits.perAuthor: a count per duration such as 1/24h',
      "colour: unknown key 'colour'",
    ]);
  });

  it('needs an escalation target for a per-minute ceiling', () => {
    const config = testConfig({ limits: { breaker: { cooldown: '5m' } } });
    expect(
      problemsOf(
        {
          'a.yaml': rule('a', '{ all: [{ fact: kind, operator: equal, value: message }] }', '[{ tag: x }]', 'limits: { perMinute: 10 }\n'),
        },
        config,
      ).map((p) => p.path),
    ).toEqual(['limits.perMinute']);
  });

  it('reports YAML syntax errors with their line, and checks test events against the event schema', () => {
    expect(problemsOf({ 'a.yaml': 'id: a\nwhen: { all: [\n' })[0]).toMatchObject({ file: 'a.yaml', line: 3 });
    const withTest = rule(
      'a',
      '{ all: [{ fact: kind, operator: equal, value: message }] }',
      '[{ tag: x }]',
      'tests:\n  - name: t\n    event: { kind: tweet }\n    expect: { fires: true }\n',
    );
    expect(problemsOf({ 'a.yaml': withTest })).toEqual([expect.objectContaining({ line: 6, path: 'tests[0].event.kind' })]);
  });

  it('locates problems in JSON files by line too', () => {
    const json =
      '{\n  "id": "j",\n  "when": { "all": [{ "fact": "nope", "operator": "equal", "value": 1 }] },\n  "then": [{ "tag": "x" }]\n}\n';
    expect(problemsOf({ 'r.json': json })).toEqual([{ file: 'r.json', line: 3, path: 'when.all[0].fact', message: "unknown fact 'nope'" }]);
  });

  it('compiles rules given as objects, without files', () => {
    const good = { id: 'g', when: { all: [{ fact: 'kind', operator: 'equal', value: 'message' }] }, then: [{ tag: 'x' }] };
    expect(compileRuleObjects([good], testConfig(), { extensions: ruleLanguage }).rules.map((r) => r.id)).toEqual(['g']);
    expect(
      compileRuleObjects([good, { ...good }], testConfig(), { extensions: ruleLanguage }).problems.map((p) => `${p.path}: ${p.message}`),
    ).toEqual(["id: duplicate rule id 'g' (first defined at <rules>:0)"]);
  });

  it('formats a problem as file:line: rule › path: message', () => {
    expect(formatProblem({ file: 'rules/a.yaml', line: 3, ruleId: 'a', path: 'when.all[0].fact', message: 'unknown fact' })).toBe(
      'rules/a.yaml:3: a › when.all[0].fact: unknown fact',
    );
  });
});

describe('foghorn.config.yaml', () => {
  it('rejects an unknown time zone, bad hours and an undeclared breaker target', () => {
    expect(() => parseFoghornConfig({ timezone: 'Mars/Olympus' }, undefined, { extensions: ruleLanguage })).toThrow(RuleConfigError);
    expect(() => parseFoghornConfig({ businessHours: { mon: '9-5' } }, undefined, { extensions: ruleLanguage })).toThrow(
      /businessHours.mon/,
    );
    expect(() => parseFoghornConfig({ limits: { breaker: { target: 'nobody' } } }, undefined, { extensions: ruleLanguage })).toThrow(
      /unknown target 'nobody'/,
    );
  });

  it('accepts hours that cross midnight and refuses an empty range', () => {
    const options = { extensions: ruleLanguage };
    expect(
      parseFoghornConfig({ businessHours: { mon: '22:00-02:00', fri: ['09:00-12:00', '20:00-24:00'] } }, undefined, options),
    ).toMatchObject({
      businessHours: { mon: '22:00-02:00' },
    });
    expect(() => parseFoghornConfig({ businessHours: { tue: '09:00-09:00' } }, undefined, options)).toThrow(
      /businessHours\.tue: .*empty range '09:00-09:00'/,
    );
  });

  it('keeps sections other parts of Foghorn add', () => {
    expect(parseFoghornConfig({ crisis: { threshold: 5 } }, undefined, { extensions: ruleLanguage })).toMatchObject({
      crisis: { threshold: 5 },
    });
  });
});
