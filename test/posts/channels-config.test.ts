import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { connectorFor } from '../../functions/platforms/index.js';
import { resolvePostChannel } from '../../functions/posts/post-channel.js';
import { readFoghornConfig } from '../../functions/rules/config.js';

describe('the channels section, where scheduled posts go', () => {
  const folder = mkdtempSync(join(tmpdir(), 'foghorn-channels-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const write = (text: string) => {
    const path = join(folder, `foghorn-${Math.random().toString(36).slice(2)}.config.yaml`);
    writeFileSync(path, text);
    return path;
  };

  it('refuses, at load, a platform or an id that is not a name, naming the file and the line', () => {
    const path = write(
      [
        'timezone: Asia/Tehran',
        'channels:',
        '  news: { platform: telegram, id: "@acme" }',
        '  feed:',
        '    platform: "  "',
        '  wall: { platform: vk, id: "" }',
      ].join('\n'),
    );
    expect(() => readFoghornConfig(path, { extensions: ruleLanguage })).toThrow(
      new RegExp(`${path}:5: channels\\.feed\\.platform: must be a platform name[\\s\\S]*${path}:6: channels\\.wall\\.id`),
    );
  });

  it("accepts channels without a platform (a rule post answers on the event's), and resolves a name to its platform and id", () => {
    const config = readFoghornConfig(
      write(
        [
          'channels:',
          '  news: { platform: telegram, id: "@acme" }',
          '  replies: {}',
          '  team: { platform: slack }',
          '  wa: { platform: whatsapp }',
        ].join('\n'),
      ),
      {
        extensions: ruleLanguage,
      },
    );
    expect(resolvePostChannel(config.channels, 'news')).toEqual({ platform: 'telegram', id: '@acme' });
    expect(resolvePostChannel(config.channels, 'team')).toEqual({ platform: 'slack' });
    // WhatsApp answers but never posts: a channel there is fine for a rule, and refused for a scheduled post.
    expect(() => resolvePostChannel(config.channels, 'wa', connectorFor)).toThrow("channel 'wa' is on whatsapp, where Foghorn cannot post");
    expect(resolvePostChannel(config.channels, 'news', connectorFor)).toEqual({ platform: 'telegram', id: '@acme' });
    expect(() => resolvePostChannel(config.channels, 'replies')).toThrow("channel 'replies' names no platform");
    expect(() => resolvePostChannel(config.channels, 'newz')).toThrow(
      "unknown channel 'newz' (declared under channels: news, replies, team, wa)",
    );
  });
});
