import { describe, expect, it } from 'vitest';
import { PermanentActionError, TransientActionError } from '../../../functions/core/errors.js';
import { linkedInConnector } from '../../../functions/platforms/linkedin/index.js';
import { sendOutbound, useFakePlatformApi } from '../../support/fake-platform-api.js';
import { ACCESS_TOKEN, context, eventFrom, fixtureJson, NOW, replyCommand } from './support.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const COMMENT_URN = 'urn:li:comment:(urn:li:activity:7130264455690000000,7130268811120000000)';

describe('linkedin outbound (Comments API)', () => {
  const api = useFakePlatformApi();
  const live = () => context({ FOGHORN_LINKEDIN_ACCESS_TOKEN: ACCESS_TOKEN, FOGHORN_LINKEDIN_API_URL: api.url });

  it('answers a comment with a nested comment as the Page: POST /rest/socialActions/{comment urn}/comments', async () => {
    api.answer(() => ({ status: 201, headers: { 'x-restli-id': '7130272000000000000' }, body: fixtureJson('comment-created.json') }));
    const command = replyCommand(eventFrom('comment.json'), 'Order 4411 ships tomorrow.');
    const response = await sendOutbound(linkedInConnector.buildRequest(command, live()));
    const [received] = api.received;
    expect(received?.method).toBe('POST');
    expect(received?.url).toBe(`/rest/socialActions/${encodeURIComponent(COMMENT_URN)}/comments`);
    expect(received?.headers).toMatchObject({
      authorization: `Bearer ${ACCESS_TOKEN}`,
      'linkedin-version': '202510',
      'x-restli-protocol-version': '2.0.0',
      'content-type': 'application/json',
    });
    expect(JSON.parse(received?.body ?? '')).toEqual({
      actor: 'urn:li:organization:2414183',
      object: 'urn:li:activity:7130264455690000000',
      message: { text: 'Order 4411 ships tomorrow.' },
      parentComment: COMMENT_URN,
    });
    expect(linkedInConnector.interpretResponse(response, command, live())).toEqual({
      externalId: 'urn:li:comment:(urn:li:activity:7130264455690000000,7130272000000000000)',
    });
  });

  it('answers a mention with a comment on the post that mentions the Page, with the configured version', () => {
    const command = replyCommand(eventFrom('batch.json', 1), 'Sorry about that: login works again.');
    const request = linkedInConnector.buildRequest(command, context({ FOGHORN_LINKEDIN_VERSION: '202601' }));
    expect(request.url).toBe(
      `https://api.linkedin.com/rest/socialActions/${encodeURIComponent('urn:li:share:7130270000000000000')}/comments`,
    );
    expect(request.headers['linkedin-version']).toBe('202601');
    // No token configured: the placeholder shows where it goes (sandbox mode records this request).
    expect(request.headers.authorization).toBe('Bearer <FOGHORN_LINKEDIN_ACCESS_TOKEN>');
    expect(JSON.parse(request.body ?? '')).toEqual({
      actor: 'urn:li:organization:2414183',
      object: 'urn:li:share:7130270000000000000',
      message: { text: 'Sorry about that: login works again.' },
    });
  });

  it('refuses a post (not supported) and a reply without text, permanently', () => {
    const event = eventFrom('comment.json');
    expect(thrown(() => linkedInConnector.buildRequest({ ...replyCommand(event, 'x'), type: 'post' }, context()))).toBeInstanceOf(
      PermanentActionError,
    );
    expect(() => linkedInConnector.buildRequest(replyCommand(event, ' '), context())).toThrow(/no params.text/);
  });

  it('classifies 429 as transient until Retry-After or, without it, the daily reset (capped); 5xx transient; 401/403 permanent', () => {
    const command = replyCommand(eventFrom('comment.json'), 'x');
    const throttled = { status: 429, headers: {}, body: JSON.stringify(fixtureJson('throttled.json')) };
    const withoutHeader = thrown(() => linkedInConnector.interpretResponse(throttled, command, context()));
    expect(withoutHeader).toBeInstanceOf(TransientActionError);
    expect((withoutHeader as TransientActionError).message).toMatch(/TOO_MANY_REQUESTS: Resource level throttle APPLICATION DAY/);
    // 22:30 UTC: the reset is 90 minutes away, more than the 15 minutes an action is ever parked.
    expect((withoutHeader as TransientActionError).retryAfterMs).toBe(15 * 60_000);
    const early = { ...context(), now: new Date('2023-11-14T23:55:00.000Z') };
    expect((thrown(() => linkedInConnector.interpretResponse(throttled, command, early)) as TransientActionError).retryAfterMs).toBe(
      5 * 60_000,
    );
    const withHeader = thrown(() =>
      linkedInConnector.interpretResponse({ ...throttled, headers: { 'Retry-After': '30' } }, command, context()),
    );
    expect((withHeader as TransientActionError).retryAfterMs).toBe(30_000);
    expect(thrown(() => linkedInConnector.interpretResponse({ status: 503, headers: {}, body: '' }, command, context()))).toBeInstanceOf(
      TransientActionError,
    );
    for (const status of [400, 401, 403, 404, 422]) {
      const body = JSON.stringify({ status, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' });
      expect(thrown(() => linkedInConnector.interpretResponse({ status, headers: {}, body }, command, context()))).toBeInstanceOf(
        PermanentActionError,
      );
    }
    expect(NOW.toISOString()).toBe('2023-11-14T22:30:00.000Z');
  });
});

describe('linkedin reconcile (no idempotency key: read the comments back)', () => {
  const api = useFakePlatformApi();
  const live = () => ({
    ...context({ FOGHORN_LINKEDIN_ACCESS_TOKEN: ACCESS_TOKEN, FOGHORN_LINKEDIN_API_URL: api.url }),
    send: sendOutbound,
  });
  const command = () => replyCommand(eventFrom('comment.json'), 'Order 4411 ships tomorrow.', '2023-11-14T22:29:30.000Z');

  it('finds the Page’s comment with the same text since the command (not a visitor’s, not an older one)', async () => {
    api.answer(() => ({ status: 200, body: fixtureJson('comments.json') }));
    expect(await linkedInConnector.reconcile?.(command(), live())).toEqual({
      found: true,
      externalId: 'urn:li:comment:(urn:li:activity:7130264455690000000,7130272000000000000)',
    });
    const [read] = api.received;
    expect(read?.method).toBe('GET');
    expect(read?.url).toBe(`/rest/socialActions/${encodeURIComponent(COMMENT_URN)}/comments?start=0&count=100`);
    expect(read?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
  });

  it('says not found when no comment matches, and throws (held) when the comments cannot be read', async () => {
    api.answer(() => ({ status: 200, body: { paging: { start: 0, count: 100, total: 0 }, elements: [] } }));
    expect(await linkedInConnector.reconcile?.(command(), live())).toEqual({ found: false });
    api.answer(() => ({ status: 403, body: { status: 403, code: 'ACCESS_DENIED', message: 'Not enough permissions' } }));
    await expect(linkedInConnector.reconcile?.(command(), live())).rejects.toThrow(/answered 403/);
  });
});
