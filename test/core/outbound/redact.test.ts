import { describe, expect, it } from 'vitest';
import type { OutboundRequest } from '../../../functions/core/http.js';
import { redactionMarker, redactRequest } from '../../../functions/core/outbound/redact.js';

const telegramToken = '7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const bearer = 'xoxb-1234-5678-abcdefghijklmnop';
const pageToken = 'EAAGm0PX4ZCpsBAKZ+ZC/ZBs9=ZDZD';

function leaks(request: OutboundRequest, secret: string): boolean {
  const text = JSON.stringify(request);
  // The full value, and any 5-character piece of it, must be gone.
  for (let start = 0; start + 5 <= secret.length; start++) {
    if (text.includes(secret.slice(start, start + 5))) return true;
  }
  return false;
}

describe('redactRequest', () => {
  it('redacts a Discord interaction token in a follow-up webhook path, keeping the application id', () => {
    const token = 'aW50ZXJhY3Rpb246MTE4MDIzNDU2Nzg5MDEyMzQ1Njp0ZXN0dG9rZW4';
    const request: OutboundRequest = {
      method: 'POST',
      url: `https://discord.com/api/v10/webhooks/1167890123456789012/${token}`,
      headers: {},
      body: '{"content":"hi"}',
    };
    const redacted = redactRequest(request, []);
    expect(redacted.url).toBe(`https://discord.com/api/v10/webhooks/1167890123456789012/${redactionMarker(token)}`);
    expect(leaks(redacted, token)).toBe(false);
  });

  it('redacts a Telegram-style token in the URL path, keeping only its last 4 characters', () => {
    const request: OutboundRequest = {
      method: 'POST',
      url: `https://api.telegram.org/bot${telegramToken}/sendMessage`,
      headers: { 'content-type': 'application/json' },
      body: '{"chat_id":42,"text":"hi"}',
    };
    const redacted = redactRequest(request, [telegramToken]);
    expect(redacted.url).toBe('https://api.telegram.org/bot[REDACTED:saw0]/sendMessage');
    expect(redacted.body).toBe(request.body);
    expect(leaks(redacted, telegramToken)).toBe(false);
  });

  it('redacts a Telegram token in the path even when it is not configured as a secret', () => {
    const redacted = redactRequest({ method: 'GET', url: `https://api.telegram.org/bot${telegramToken}/getMe`, headers: {} }, []);
    expect(redacted.url).toBe('https://api.telegram.org/bot[REDACTED:saw0]/getMe');
  });

  it('redacts bearer and bot authorization headers, keeping the scheme', () => {
    const request: OutboundRequest = {
      method: 'POST',
      url: 'https://slack.com/api/chat.postMessage',
      headers: { authorization: `Bearer ${bearer}`, 'x-other': 'visible', Authorization: 'Bot unconfigured-discord-token-123' },
    };
    const redacted = redactRequest(request, [bearer]);
    expect(redacted.headers.authorization).toBe('Bearer [REDACTED:mnop]');
    expect(redacted.headers.Authorization).toBe('Bot [REDACTED:-123]');
    expect(redacted.headers['x-other']).toBe('visible');
    expect(leaks(redacted, bearer)).toBe(false);
    expect(redacted).not.toBe(request);
    expect(request.headers.authorization).toBe(`Bearer ${bearer}`);
  });

  it('redacts a form-encoded access_token, configured or not, in the body and the query', () => {
    const body = new URLSearchParams({ message: 'thanks!', access_token: pageToken }).toString();
    const request: OutboundRequest = {
      method: 'POST',
      url: `https://graph.facebook.com/v21.0/123/comments?access_token=${encodeURIComponent(pageToken)}&fields=id`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    };
    const configured = redactRequest(request, [pageToken]);
    expect(configured.body).toBe('message=thanks%21&access_token=[REDACTED:ZDZD]');
    expect(configured.url).toBe('https://graph.facebook.com/v21.0/123/comments?access_token=[REDACTED:ZDZD]&fields=id');
    expect(leaks(configured, pageToken)).toBe(false);

    const unconfigured = redactRequest(request, []);
    expect(unconfigured.body).toBe('message=thanks%21&access_token=[REDACTED:ZDZD]');
    expect(unconfigured.url).toContain('?access_token=[REDACTED:ZDZD]&fields=id');
    expect(leaks(unconfigured, pageToken)).toBe(false);
  });

  it('redacts a secret inside a JSON body field, JSON-escaped or not, and credential-named fields', () => {
    const secret = 'sk_live_"quoted"\\slash_abcd1234';
    const request: OutboundRequest = {
      method: 'POST',
      url: 'https://example.test/hook',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello', signing: secret, nested: { api_key: 'unlisted-api-key-value-9876' } }),
    };
    const redacted = redactRequest(request, [secret]);
    expect(JSON.parse(redacted.body!)).toEqual({ text: 'hello', signing: '[REDACTED:1234]', nested: { api_key: '[REDACTED:9876]' } });
    expect(leaks(redacted, 'sk_live_"quoted"')).toBe(false);
    expect(leaks(redacted, 'unlisted-api-key-value')).toBe(false);
  });

  it('shows no characters of a short secret, and ignores secrets too short to redact safely', () => {
    expect(redactionMarker('short-pw')).toBe('[REDACTED]');
    const redacted = redactRequest({ method: 'GET', url: 'https://example.test/?q=short-pw', headers: {} }, ['short-pw', 'ab', '']);
    expect(redacted.url).toBe('https://example.test/?q=[REDACTED]');
  });
});
