import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLine } from '../../cli/commands/audit.js';
import type { CliIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../functions/entries/local/runtime.js';
import { startLoopback } from '../support/loopback.js';
import { getJson, makeWorkspace, postGeneric, TEST_GENERIC_SECRET, waitForQueuesToDrain } from '../support/runtime-process.js';

/**
 * `foghorn audit` against the local runtime: a page that was only recorded (no routing key, so
 * sandbox mode) must not read as one that reached PagerDuty.
 */
const RULES = `
- id: complaint
  when: { all: [{ fact: text, operator: containsAny, value: ["complaint"] }] }
  then: [{ escalate: { target: oncall, severity: critical, summary: "A complaint" } }]
`;

describe('foghorn audit through the local runtime', () => {
  let runtime: Runtime;
  const pagerduty = startLoopback(() => ({ status: 202, body: '{"status":"success"}' }));
  const errors: string[] = [];
  const cli = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: { FOGHORN_URL: runtime.url },
      cwd: process.cwd(),
    };
    const code = await main(args, io);
    return { code, out, err };
  };

  beforeAll(async () => {
    const { dataDir, rulesDir } = makeWorkspace({ 'complaint.yaml': RULES });
    writeFileSync(
      join(dirname(rulesDir), 'foghorn.config.yaml'),
      `targets:\n  oncall: { type: pagerduty, routingKey: FOGHORN_PD_KEY, url: "${(await pagerduty).url}/v2/enqueue" }\n`,
    );
    runtime = await startRuntime({
      port: 0,
      dataDir,
      rulesDir,
      logger: { info() {}, warn() {}, error: (message, detail) => errors.push(`${message} ${JSON.stringify(detail)}`) },
      // No FOGHORN_PD_KEY: the page is recorded, not sent.
      settings: settingsFrom({ FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET }),
    });
    const response = await postGeneric(runtime.url, {
      id: 'c1',
      kind: 'message',
      text: 'I have a complaint',
      author: { id: 'a1' },
      channel: { id: 'ch1' },
      createdAt: '2026-11-22T10:00:00.000Z',
    });
    expect(response.status).toBe(200);
    await waitForQueuesToDrain(runtime.url);
  }, 60_000);
  afterAll(async () => {
    expect(errors).toEqual([]);
    await runtime?.stop();
    await (await pagerduty).close();
  });

  it('prints a recorded page as escalate.sandboxed, never escalate.succeeded', async () => {
    // Prepare: the page was recorded, not sent
    const { actions } = await getJson<{ actions: Array<{ ruleId: string; status: string; mode?: string }> }>(`${runtime.url}/api/actions`);
    expect(actions).toEqual([expect.objectContaining({ ruleId: 'complaint', status: 'succeeded', mode: 'sandbox' })]);
    expect((await pagerduty).received).toHaveLength(0);
    // Act
    const text = await cli(['audit']);
    // Assess
    expect(text.code).toBe(0);
    const line = text.out.find((candidate) => candidate.includes('rule complaint'));
    expect(line).toMatch(/ {2}escalate\.sandboxed {2}by rule:complaint .*\[rule complaint, event generic:c1\]$/);
    expect(text.out.join('\n')).not.toContain('escalate.succeeded');
  });

  it('keeps the JSON entry as recorded, with the mode in its detail', async () => {
    const json = await cli(['audit', '--json']);
    expect(json.code).toBe(0);
    const entries = json.out.map((line) => JSON.parse(line) as { what: string; detail?: { mode?: string } });
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: 'escalation', what: 'escalate.succeeded', detail: expect.objectContaining({ mode: 'sandbox' }) }),
    );
  });
});

describe('auditLine', () => {
  const entry = { at: '2026-11-22T10:00:00.000Z', kind: 'action', who: 'rule:faq', ruleId: 'faq' };
  it('says succeeded only for a live call, and leaves other outcomes as recorded', () => {
    expect(auditLine({ ...entry, what: 'reply.succeeded', detail: { mode: 'live' } })).toBe(
      '2026-11-22T10:00:00.000Z  reply.succeeded  by rule:faq  [rule faq]',
    );
    expect(auditLine({ ...entry, what: 'reply.succeeded', detail: { mode: 'sandbox' } })).toBe(
      '2026-11-22T10:00:00.000Z  reply.sandboxed  by rule:faq  [rule faq]',
    );
    expect(auditLine({ ...entry, what: 'reply.failed', why: 'refused' })).toBe(
      '2026-11-22T10:00:00.000Z  reply.failed  by rule:faq  (refused)  [rule faq]',
    );
  });
});
