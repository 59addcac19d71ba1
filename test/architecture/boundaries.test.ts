import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBoundaries, describeViolations } from './boundaries.js';

describe('the boundary check', () => {
  it('finds no violation in the tree', async () => {
    const violations = await checkBoundaries();

    expect(violations, describeViolations(violations)).toEqual([]);
  });

  describe('over a tree that breaks the rules', () => {
    let root: string;

    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'foghorn-boundaries-'));
      const files: Record<string, string> = {
        // core reaches into the AWS SDK and into the rule language.
        'functions/core/event.ts': [
          "import type { SQSClient } from '@aws-sdk/client-sqs';",
          "import { ruleName } from '../rules/rule.js';",
          'export const client: SQSClient | undefined = undefined;',
          'export const name = ruleName;',
        ].join('\n'),
        'functions/rules/rule.ts': "import { fold } from '../text/fold.js';\nexport const ruleName = fold('r');",
        'functions/text/fold.ts': 'export const fold = (text: string): string => text.toLowerCase();',
        // platforms ↔ escalation: no rule forbids either import and no module cycle, but the folders loop.
        'functions/platforms/slack/client.ts': "import { page } from '../../escalation/page.js';\nexport const client = page;",
        'functions/escalation/page.ts': "export const page = 'page';",
        'functions/escalation/slack-target.ts': "import { slack } from '../platforms/slack/index.js';\nexport const target = slack;",
        'functions/platforms/slack/index.ts': "export const slack = 'slack';",
        // adapters may import each other, but not in a cycle across folders.
        'functions/storage/dynamo/table.ts': "import { region } from '../../aws/region.js';\nexport const table = region;",
        'functions/aws/region.ts':
          "import type { table } from '../storage/dynamo/table.js';\nexport const region = 'eu-west-1';\nexport type Table = typeof table;",
        // a folder the layout does not know escapes every rule, so it is one.
        'functions/legacy/handler.ts': 'export const handler = 1;',
        // allowed: the assembly imports an adapter, infra and the CLI import the assembly.
        'functions/app/assembly.ts': "import { store } from '../storage/dynamo/store.js';\nexport const assembly = store;",
        'functions/storage/dynamo/store.ts': "import { name } from '../../core/event.js';\nexport const store = name;",
        'infra/stack.ts': "import { assembly } from '../functions/app/assembly.js';\nexport const stack = assembly;",
        'cli/main.ts': "import { assembly } from '../functions/app/assembly.js';\nexport const main = assembly;",
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), `${text}\n`);
      }
    });

    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('reports each broken rule, the module cycle and the folder loops, and nothing else', async () => {
      const violations = await checkBoundaries(root);

      expect(violations).toEqual([
        { rule: 'core-imports-no-other-folder', from: 'functions/core/event.ts', to: 'functions/rules/rule.ts' },
        { rule: 'domain-imports-no-aws-sdk', from: 'functions/core/event.ts', to: '@aws-sdk/client-sqs' },
        { rule: 'folder-in-layout', from: 'functions/legacy/handler.ts', to: 'functions/legacy' },
        {
          rule: 'no-circular-between-folders',
          from: 'functions/aws/region.ts',
          to: 'functions/storage/dynamo/table.ts',
          via: ['functions/storage/dynamo/table.ts', 'functions/aws/region.ts'],
        },
        {
          rule: 'no-folder-loop',
          from: 'functions/aws',
          to: 'functions/storage',
          via: [
            'functions/aws → functions/storage → functions/aws',
            'functions/aws/region.ts → functions/storage/dynamo/table.ts',
            'functions/storage/dynamo/table.ts → functions/aws/region.ts',
          ],
        },
        {
          rule: 'no-folder-loop',
          from: 'functions/escalation',
          to: 'functions/platforms',
          via: [
            'functions/escalation → functions/platforms → functions/escalation',
            'functions/escalation/slack-target.ts → functions/platforms/slack/index.ts',
            'functions/platforms/slack/client.ts → functions/escalation/page.ts',
          ],
        },
      ]);
    });
  });
});
