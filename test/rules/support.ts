import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import type { CanonicalEvent } from '../../functions/core/event.js';
import { type FoghornConfig, parseFoghornConfig } from '../../functions/rules/index.js';

/** A canonical event with test defaults; override any field. */
export function makeEvent(overrides: Partial<CanonicalEvent> & { text?: string } = {}): CanonicalEvent {
  return {
    id: 'test:1',
    platform: 'test',
    kind: 'message',
    text: '',
    author: { id: 'author-1' },
    channel: { id: 'channel-1' },
    thread: {},
    createdAt: '2026-01-05T10:00:00Z',
    receivedAt: '2026-01-05T10:00:00Z',
    ...overrides,
  };
}

/** Writes files (path → content) into a fresh temporary rules folder and returns it. */
export function ruleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-rules-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export function testConfig(overrides: Record<string, unknown> = {}): FoghornConfig {
  return parseFoghornConfig(
    {
      timezone: 'Europe/London',
      targets: { oncall: {}, comms: {} },
      channels: { announcements: {} },
      limits: { repliesPerAuthorPerDay: 3, breaker: { cooldown: '10m', target: 'oncall' } },
      ...overrides,
    },
    undefined,
    { extensions: ruleLanguage },
  );
}
