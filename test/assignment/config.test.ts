import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { parseAssignmentConfig } from '../../functions/assignment/config.js';
import { readFoghornConfig } from '../../functions/rules/config.js';
import { compileRuleDirectory } from '../../functions/rules/index.js';

function configFile(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'foghorn-assign-')), 'foghorn.config.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const GOOD = [
  'timezone: Europe/Istanbul',
  'targets:',
  '  desk-lead: { description: "The desk lead" }',
  'people:',
  '  sara: { name: Sara Ahmadi, user: sara, hours: { timezone: Asia/Tehran, sat: "09:00-17:00", sun: "09:00-17:00" }, notify: desk-lead }',
  '  reza: { name: Reza Karimi, hours: { mon: "09:00-18:00" } }',
  'teams:',
  '  persian-desk: { members: [sara, reza], lead: sara, strategy: round-robin }',
];

describe('people: and teams: in foghorn.config.yaml', () => {
  it('accepts the documented example', () => {
    const config = readFoghornConfig(configFile(GOOD), { extensions: ruleLanguage });
    expect(Object.keys(config.teams as object)).toEqual(['persian-desk']);
  });

  it('names a team by its name:, or by its key without one', () => {
    const named = [...GOOD, '  press: { name: Press and media, members: [reza] }'];
    const { teams } = parseAssignmentConfig(readFoghornConfig(configFile(named), { extensions: ruleLanguage }));
    expect([...teams.values()].map((team) => [team.id, team.name])).toEqual([
      ['persian-desk', 'persian-desk'],
      ['press', 'Press and media'],
    ]);
    const empty = [...GOOD, '  press: { name: "", members: [reza] }'];
    expect(() => readFoghornConfig(configFile(empty), { extensions: ruleLanguage })).toThrow(/teams\.press\.name/);
  });

  it('names the file, line and field of each problem, with a did-you-mean', () => {
    const path = configFile([
      'timezone: UTC',
      'targets:',
      '  desk-lead: { description: "The desk lead" }',
      'people:',
      '  sara: { name: Sara, notify: desk-leed }',
      '  reza: { hours: { mon: "9-18" } }',
      '  mina: { hours: { timezone: Mars/Olympus } }',
      'teams:',
      '  persian-desk:',
      '    members: [sara, rezza]',
      '    lead: sarah',
      '    strategy: fastest',
    ]);
    let message = '';
    try {
      readFoghornConfig(path, { extensions: ruleLanguage });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${path}:5: people.sara.notify: unknown target 'desk-leed' (did you mean 'desk-lead'?)`);
    expect(message).toContain(`${path}:6: people.reza.hours.mon:`);
    expect(message).toContain(`${path}:7: people.mina.hours.timezone: an IANA time zone`);
    expect(message).toContain(`${path}:12: teams.persian-desk.strategy:`);
    // A team that is wrong in shape is reported once, by its shape; its names are checked once it has the right one.
    const names = configFile([...GOOD.slice(0, 6), 'teams:', '  persian-desk: { members: [sara, rezza], lead: sarah }']);
    let second = '';
    try {
      readFoghornConfig(names, { extensions: ruleLanguage });
    } catch (error) {
      second = (error as Error).message;
    }
    expect(second).toContain(`${names}:8: teams.persian-desk.members.1: unknown person 'rezza' (did you mean 'reza'?)`);
    expect(second).toContain(`${names}:8: teams.persian-desk.lead: unknown person 'sarah' (did you mean 'sara'?)`);
  });

  it("checks a rule's assign names and its escalation against the config", async () => {
    const rulesDir = mkdtempSync(join(tmpdir(), 'foghorn-assign-rules-'));
    writeFileSync(
      join(rulesDir, 'assign.yaml'),
      [
        '- id: to-desk',
        '  when: { all: [{ fact: text, operator: containsAny, value: ["persian"] }] }',
        '  then:',
        '    - assign: { team: persian-dsk }',
        '    - assign: { person: reza, unanswered: { after: 30m, escalate: lead } }',
        '- id: two-owners',
        '  when: { all: [{ fact: text, operator: containsAny, value: ["persian"] }] }',
        '  then:',
        '    - assign: { team: persian-desk, person: sara }',
      ].join('\n'),
    );
    const result = await compileRuleDirectory(rulesDir, { configPath: configFile(GOOD), extensions: ruleLanguage });
    const messages = result.problems.map((problem) => `${problem.line}: ${problem.path}: ${problem.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^4: then\[0\]\.assign\.team: unknown team 'persian-dsk' \(did you mean 'persian-desk'\?\)/),
        expect.stringMatching(/^9: then\[0\]\.assign: assign names one owner: a team or a person/),
      ]),
    );
    // reza is in persian-desk, whose lead sara has a notify target: that one is fine.
    expect(messages.some((message) => message.includes('then[1]'))).toBe(false);
  });
});
