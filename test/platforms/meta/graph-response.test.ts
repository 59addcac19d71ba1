import { describe, expect, it } from 'vitest';
import { PermanentActionError, TransientActionError } from '../../../functions/core/errors.js';
import type { OutboundResponse } from '../../../functions/core/http.js';
import { interpretGraphResponse } from '../../../functions/platforms/meta/graph-response.js';

const now = new Date('2026-11-22T10:00:00.000Z');
const answer = (status: number, body: unknown, headers: Record<string, string> = {}): OutboundResponse => ({
  status,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const graphError = (code: number, message: string, extra: Record<string, unknown> = {}) => ({
  error: { message, type: 'OAuthException', code, fbtrace_id: 'AbCdEf123', ...extra },
});

function thrown(response: OutboundResponse): unknown {
  try {
    interpretGraphResponse(response, now);
  } catch (error) {
    return error;
  }
  throw new Error('expected interpretGraphResponse to throw');
}

describe('Graph API answers', () => {
  it('returns the id of what was created: comment, Messenger message, WhatsApp message', () => {
    expect(interpretGraphResponse(answer(200, { id: '912837465019283_777' }), now)).toEqual({ externalId: '912837465019283_777' });
    expect(interpretGraphResponse(answer(200, { recipient_id: '602', message_id: 'm_abc' }), now)).toEqual({ externalId: 'm_abc' });
    expect(
      interpretGraphResponse(
        answer(200, { messaging_product: 'whatsapp', contacts: [{ input: '1650', wa_id: '1650' }], messages: [{ id: 'wamid.X' }] }),
        now,
      ),
    ).toEqual({ externalId: 'wamid.X' });
    expect(interpretGraphResponse(answer(200, 'not json'), now)).toEqual({});
  });

  it('treats throttling codes as transient, waiting as long as the usage header says', () => {
    const usage = JSON.stringify({
      '104857392019283': [{ type: 'pages', call_count: 100, total_cputime: 12, total_time: 15, estimated_time_to_regain_access: 7 }],
    });
    const error = thrown(answer(400, graphError(32, 'Page request limit reached'), { 'x-business-use-case-usage': usage }));
    expect(error).toBeInstanceOf(TransientActionError);
    expect((error as TransientActionError).retryAfterMs).toBe(7 * 60_000);
    expect((error as TransientActionError).message).toContain('Page request limit reached');
    for (const code of [4, 17, 613, 80001, 80006, 130429, 131056]) {
      const throttled = thrown(answer(400, graphError(code, 'slow down')));
      expect(throttled, `code ${code}`).toBeInstanceOf(TransientActionError);
      expect((throttled as TransientActionError).retryAfterMs).toBe(60_000);
    }
  });

  it('honours Retry-After on a 429', () => {
    const error = thrown(answer(429, graphError(4, 'Application request limit reached'), { 'retry-after': '120' }));
    expect((error as TransientActionError).retryAfterMs).toBe(120_000);
  });

  it('treats 5xx and is_transient errors as transient without inventing a wait', () => {
    const server = thrown(answer(503, 'upstream unavailable'));
    expect(server).toBeInstanceOf(TransientActionError);
    expect((server as TransientActionError).retryAfterMs).toBeUndefined();
    expect(thrown(answer(500, graphError(2, 'An unexpected error has occurred', { is_transient: true })))).toBeInstanceOf(
      TransientActionError,
    );
  });

  it("treats an invalid token and a deleted object as permanent, keeping Meta's words", () => {
    const expired = thrown(answer(400, graphError(190, 'Error validating access token: Session has expired', { error_subcode: 463 })));
    expect(expired).toBeInstanceOf(PermanentActionError);
    expect((expired as Error).message).toBe(
      'Graph API error 190/463 (OAuthException, HTTP 400): Error validating access token: Session has expired',
    );
    const deleted = thrown(
      answer(400, graphError(100, "Unsupported post request. Object with ID '912837465019283_1' does not exist", { error_subcode: 33 })),
    );
    expect(deleted).toBeInstanceOf(PermanentActionError);
    expect((deleted as Error).message).toContain('does not exist');
    expect(thrown(answer(400, graphError(131047, 'Re-engagement message')))).toBeInstanceOf(PermanentActionError);
  });
});
