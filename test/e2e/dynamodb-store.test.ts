import { afterAll, describe, expect, it } from 'vitest';
import { getJson, makeWorkspace, postGeneric, type RuntimeProcess, startRuntimeProcess, waitFor } from '../support/runtime-process.js';

const HELP_RULE = `
id: dynamodb-help
description: Answer anyone asking for help
when:
  all:
    - { fact: text, operator: containsAny, value: ["help"] }
then:
  - reply:
      text:
        default: "Hi {{author.name}}, we are on it."
`;

interface ActionView {
  eventId: string;
  ruleId: string;
  status: string;
  mode?: string;
}

/** FOGHORN_STORE=dynamodb without an endpoint: the DynamoDB stores over the embedded dynalite, as before the embedded store. */
describe('npm start on the DynamoDB store (FOGHORN_STORE=dynamodb)', () => {
  let runtime: RuntimeProcess | undefined;
  afterAll(async () => {
    await runtime?.stop();
  });

  it('takes a webhook through to its action, and keeps both across a restart', async () => {
    // Prepare
    const workspace = makeWorkspace({ 'help.yaml': HELP_RULE });
    const env = { FOGHORN_STORE: 'dynamodb' };
    runtime = await startRuntimeProcess({ ...workspace, env });
    const first = runtime;
    expect(first.output()).toContain('"engine":"dynamodb"');

    // Act
    const response = await postGeneric(first.url, {
      id: 'ddb-1',
      kind: 'message',
      text: 'I need help',
      author: { id: 'u-1', name: 'Layla' },
      channel: { id: 'support' },
    });
    expect(response.status).toBe(200);
    const action = await waitFor('the reply', async () => {
      const { actions } = await getJson<{ actions: ActionView[] }>(`${first.url}/api/actions`);
      return actions.find((candidate) => candidate.eventId === 'generic:ddb-1' && candidate.status === 'succeeded');
    });
    const health = await getJson<{ storage: { engine: string; writes: number } }>(`${first.url}/health`);
    await first.stop();
    runtime = await startRuntimeProcess({ ...workspace, env });
    const restarted = runtime;

    // Assess
    expect(action).toMatchObject({ ruleId: 'dynamodb-help', mode: 'sandbox' });
    expect(health.storage.engine).toBe('dynamodb');
    expect(health.storage.writes).toBeGreaterThanOrEqual(4);
    const { events } = await getJson<{ events: Array<{ id: string }> }>(`${restarted.url}/api/events`);
    expect(events.map((event) => event.id)).toEqual(['generic:ddb-1']);
    const { actions } = await getJson<{ actions: ActionView[] }>(`${restarted.url}/api/actions`);
    expect(actions).toEqual([expect.objectContaining({ eventId: 'generic:ddb-1', status: 'succeeded' })]);
  }, 60_000);
});
