import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnalyticsSection } from '../../functions/analytics/config.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { readFoghornConfig } from '../../functions/rules/config.js';

describe('analytics.responseTarget in foghorn.config.yaml', () => {
  it('is 10 minutes by default and takes any duration of the one grammar', () => {
    expect(parseAnalyticsSection(undefined)).toEqual({ responseTarget: '10m', responseTargetMs: 600_000 });
    expect(parseAnalyticsSection({})).toEqual({ responseTarget: '10m', responseTargetMs: 600_000 });
    expect(parseAnalyticsSection({ responseTarget: '5m' })).toEqual({ responseTarget: '5m', responseTargetMs: 300_000 });
    expect(parseAnalyticsSection({ responseTarget: '1h' }).responseTargetMs).toBe(3_600_000);
  });

  it('is refused with the file, the line and the field when it is not a duration, as are unknown keys', () => {
    // Prepare
    const folder = mkdtempSync(join(tmpdir(), 'foghorn-analytics-config-'));
    const file = join(folder, 'foghorn.config.yaml');
    writeFileSync(file, ['timezone: UTC', 'analytics:', '  responseTarget: soon', '  reponseTarget: 5m', ''].join('\n'));
    // Act
    const read = () => readFoghornConfig(file, { extensions: ruleLanguage });
    // Assess
    expect(read).toThrow(`${file}:3: analytics.responseTarget: must be a duration such as 30s, 10m, 24h or 7d, got "soon"`);
    expect(read).toThrow(`${file}:4: analytics.reponseTarget: unknown key 'reponseTarget'`);
  });

  it('is refused when zero or not a mapping', () => {
    expect(() => parseAnalyticsSection({ responseTarget: '0m' })).toThrow(/analytics.responseTarget: must be longer than nothing/);
    expect(() => parseAnalyticsSection('10m')).toThrow(/analytics: must be a mapping/);
    expect(() => parseAnalyticsSection({ responseTarget: 600 })).toThrow(/got 600/);
  });
});
