import { describe, expect, it } from 'vitest';
import { useRuntimeProcess, waitForAction } from '../../support/runtime-process.js';
import { ACCESS_TOKEN, CLIENT_SECRET, fixture, ORGANIZATION_ID, signature } from './support.js';

const RULE = `
id: e2e-linkedin-answer
description: Answer about order 4411
when:
  all:
    - { fact: text, operator: containsAny, value: ["4411"] }
then:
  - reply:
      text:
        default: "Order 4411 ships tomorrow."
`;

describe('linkedin through the local runtime (npm start)', () => {
  const runtime = useRuntimeProcess(() => ({
    rules: { 'answer.yaml': RULE },
    env: {
      FOGHORN_LINKEDIN_CLIENT_SECRET: CLIENT_SECRET,
      FOGHORN_LINKEDIN_ORGANIZATION_ID: ORGANIZATION_ID,
      // A token is set, but sandbox mode is forced: the recorded request must not show it.
      FOGHORN_LINKEDIN_ACCESS_TOKEN: ACCESS_TOKEN,
      FOGHORN_SANDBOX: 'true',
      FOGHORN_LOG_LEVEL: 'warn',
    },
  }));

  it('answers the challenge, refuses a wrong signature, and answers a comment with a nested comment (sandboxed)', async () => {
    const code = '890e4665-4dfe-4ab1-b689-ed553bceeed0';
    const validation = await fetch(`${runtime.current.url}/webhooks/linkedin?challengeCode=${code}`);
    expect(validation.status).toBe(200);
    expect(validation.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await validation.json()) as { challengeCode: string }).challengeCode).toBe(code);

    const body = fixture('comment.json');
    const post = (signed: string) =>
      fetch(`${runtime.current.url}/webhooks/linkedin`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-li-signature': signed },
      });
    expect((await post(signature(body, 'wrong-secret'))).status).toBe(401);
    expect((await post(signature(body))).status).toBeLessThan(300);

    const action = await waitForAction(
      runtime.current.url,
      'the reply',
      (candidate) => candidate.eventId === 'linkedin:1205373016' && candidate.status === 'succeeded',
    );
    const commentUrn = 'urn:li:comment:(urn:li:activity:7130264455690000000,7130268811120000000)';
    expect(action).toMatchObject({
      ruleId: 'e2e-linkedin-answer',
      mode: 'sandbox',
      request: { method: 'POST', url: `https://api.linkedin.com/rest/socialActions/${encodeURIComponent(commentUrn)}/comments` },
    });
    expect(JSON.parse(action.request?.body ?? '')).toEqual({
      actor: 'urn:li:organization:2414183',
      object: 'urn:li:activity:7130264455690000000',
      message: { text: 'Order 4411 ships tomorrow.' },
      parentComment: commentUrn,
    });
    expect(action.request?.headers?.authorization).toBe('Bearer [REDACTED:6789]');
    expect(JSON.stringify(action)).not.toContain(ACCESS_TOKEN);
  });
});
