import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsAdapters } from '../../functions/app/aws-adapters.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { toCompiledRuleSetFile, usesPatterns } from '../../functions/rules/compiled-rule-set.js';
import { compileRuleObjects, parseFoghornConfig } from '../../functions/rules/index.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const rule = (id: string, condition: Record<string, unknown>) => ({ id, when: { all: [condition] }, then: [{ reply: { text: 'hi' } }] });
const keywords = rule('keywords', { fact: 'text', operator: 'containsAny', value: ['opening hours'] });
const pattern = rule('pattern', { fact: 'text', operator: 'not:matches', value: 'order\\s*#?\\d+' });

let scratch: string;
let withoutPatterns: string;
let withPatterns: string;

function writeCompiled(name: string, rules: unknown[], config = parseFoghornConfig({}, undefined, { extensions: ruleLanguage })): string {
  const path = join(scratch, name);
  writeFileSync(path, JSON.stringify(toCompiledRuleSetFile(compileRuleObjects(rules, config, { extensions: ruleLanguage }))));
  return path;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'foghorn-lean-'));
  withoutPatterns = writeCompiled('keywords.compiled.json', [keywords]);
  withPatterns = writeCompiled('patterns.compiled.json', [keywords, pattern]);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The evaluate function's rule loading in a fresh module graph, as at a cold start. */
async function coldLoad(path: string) {
  vi.resetModules();
  const text = await import('../../functions/text/index.js');
  const { deployedRuleSource } = await import('../../functions/app/rule-source.js');
  expect(text.patternEngineLoaded(), 'a fresh module graph starts without re2js').toBe(false);
  const loaded = await deployedRuleSource(() => path).current();
  return { loaded, engineLoaded: text.patternEngineLoaded() };
}

describe('the evaluate function loads re2js only for `matches`', () => {
  it('finds `matches` conditions, decorated or not, and nothing else', () => {
    expect(usesPatterns({ rules: [{ spec: keywords }] })).toBe(false);
    expect(usesPatterns({ rules: [{ spec: keywords }, { spec: pattern }] })).toBe(true);
    expect(usesPatterns({ rules: [{ spec: rule('m', { any: [{ fact: 'text', operator: 'matches', value: 'x' }] }) }] })).toBe(true);
    // A keyword that happens to be the word "matches" is not a pattern.
    expect(usesPatterns({ rules: [{ spec: rule('w', { fact: 'text', operator: 'containsAny', value: ['matches'] }) }] })).toBe(false);
  });

  it('never loads it for a rule set without `matches`', async () => {
    const { loaded, engineLoaded } = await coldLoad(withoutPatterns);
    expect(loaded.ruleSet.ruleIds).toEqual(['keywords']);
    expect(engineLoaded).toBe(false);
  });

  it('loads it before compiling a rule set that has one, and the pattern then decides', async () => {
    const { loaded, engineLoaded } = await coldLoad(withPatterns);
    expect(engineLoaded).toBe(true);
    const event = (text: string) => ({
      id: `generic:${text}`,
      platform: 'generic' as const,
      kind: 'message' as const,
      text,
      author: { id: '1' },
      channel: { id: 'web' },
      thread: {},
      createdAt: '2026-01-01T10:00:00Z',
      receivedAt: '2026-01-01T10:00:00Z',
    });
    const { memoryRuleState } = await import('../../functions/rules/index.js');
    const fired = async (text: string) =>
      (await loaded.ruleSet.evaluate(event(text), { now: new Date('2026-01-01T10:00:00Z'), state: memoryRuleState() })).actions.map(
        (action) => action.ruleId,
      );
    expect(await fired('what are your opening hours?')).toEqual(['keywords', 'pattern']);
    expect(await fired('opening hours for order #123?')).toEqual(['keywords']);
  });
});

describe('the AWS adapters read the team config without YAML', () => {
  it("evaluate's is the config its compiled rule set carries, even when FOGHORN_CONFIG is set", async () => {
    const config = parseFoghornConfig({ timezone: 'Asia/Tehran' }, undefined, { extensions: ruleLanguage });
    const compiled = writeCompiled('tehran.compiled.json', [keywords], config);
    const adapters = await awsAdapters({
      logger: quiet,
      env: { FOGHORN_COMPILED_RULES: compiled, FOGHORN_CONFIG: join(scratch, 'missing.yaml') },
    })();
    await adapters.teamConfig.load();
    expect(adapters.teamConfig.current().timezone).toBe('Asia/Tehran');
  });

  it('act, sweep and api read the JSON the stack ships (FOGHORN_TEAM_CONFIG)', async () => {
    const path = join(scratch, 'team-config.json');
    writeFileSync(path, JSON.stringify(parseFoghornConfig({ timezone: 'Europe/Berlin' }, undefined, { extensions: ruleLanguage })));
    const yamlTeamConfig = vi.fn();
    const adapters = await awsAdapters({ logger: quiet, env: { FOGHORN_TEAM_CONFIG: path }, yamlTeamConfig })();
    await adapters.teamConfig.load();
    expect(adapters.teamConfig.current().timezone).toBe('Europe/Berlin');
    expect(yamlTeamConfig).not.toHaveBeenCalled();
  });

  it('FOGHORN_CONFIG set by hand still names a YAML file, read only where the entry gives a YAML reader', async () => {
    const json = join(scratch, 'team-config.json');
    const env = { FOGHORN_TEAM_CONFIG: json, FOGHORN_CONFIG: '/etc/foghorn.config.yaml' };
    const berlin = parseFoghornConfig({ timezone: 'Europe/Paris' }, undefined, { extensions: ruleLanguage });
    const yamlTeamConfig = vi.fn(async () => berlin);
    const withYaml = await awsAdapters({ logger: quiet, env, yamlTeamConfig })();
    await withYaml.teamConfig.load();
    expect(withYaml.teamConfig.current().timezone).toBe('Europe/Paris');
    expect(yamlTeamConfig).toHaveBeenCalledOnce();
    const withoutYaml = await awsAdapters({ logger: quiet, env })();
    await expect(withoutYaml.teamConfig.load()).rejects.toThrow(
      'FOGHORN_CONFIG names a YAML file (/etc/foghorn.config.yaml), which this function does not read',
    );
    await expect((await awsAdapters({ logger: quiet, env: {} })()).teamConfig.load()).rejects.toThrow(
      'environment variable FOGHORN_TEAM_CONFIG is not set',
    );
  });

  it('names a team config file that is not JSON', async () => {
    const path = join(scratch, 'broken.json');
    writeFileSync(path, 'timezone: Europe/London\n');
    const adapters = await awsAdapters({ logger: quiet, env: { FOGHORN_TEAM_CONFIG: path } })();
    await expect(adapters.teamConfig.load()).rejects.toThrow(`cannot read the team config ${path}`);
  });
});
