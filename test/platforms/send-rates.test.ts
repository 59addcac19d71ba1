import { describe, expect, it } from 'vitest';
import { connectors } from '../../functions/platforms/index.js';
import {
  DEFAULT_SEND_RATES,
  heldUntil,
  InvalidSendRateError,
  parseSendRates,
  sendRates,
  takeSends,
} from '../../functions/platforms/send-rates.js';

describe('DEFAULT_SEND_RATES', () => {
  it('has a rate for every platform Foghorn replies or posts to, except the generic callback a team runs itself', () => {
    const sending = Object.values(connectors)
      .filter((connector) => connector.actionTypes.some((type) => type === 'reply' || type === 'post'))
      .map((connector) => connector.platform)
      .filter((platform) => platform !== 'generic');
    expect(Object.keys(DEFAULT_SEND_RATES).sort()).toEqual(sending.sort());
    expect(DEFAULT_SEND_RATES.generic).toBeUndefined();
  });

  it('stays under the documented limits it names', () => {
    // Telegram about 30 a second overall; Discord 50 a second per bot; WhatsApp 80 a second per number; X 200 per 15 minutes.
    expect(DEFAULT_SEND_RATES.telegram!.rateLimit).toBeLessThanOrEqual(30);
    expect(DEFAULT_SEND_RATES.discord!.rateLimit).toBeLessThanOrEqual(50);
    expect(DEFAULT_SEND_RATES.whatsapp!.rateLimit).toBeLessThanOrEqual(80);
    expect(DEFAULT_SEND_RATES.x!.rateLimit * 15 * 60).toBeLessThanOrEqual(200);
    expect(DEFAULT_SEND_RATES.youtube!.rateLimit * 86_400).toBeLessThanOrEqual(200);
  });
});

describe('sendRates', () => {
  it("takes a platform's own setting over its default and keeps the rest", () => {
    const rates = sendRates({ telegram: { rateLimit: 10, burstLimit: 10 }, generic: { rateLimit: 5, burstLimit: 5 } }, [
      'telegram',
      'generic',
    ]);
    expect(rates.telegram).toEqual({ rateLimit: 10, burstLimit: 10 });
    expect(rates.generic).toEqual({ rateLimit: 5, burstLimit: 5 });
    expect(rates.slack).toEqual(DEFAULT_SEND_RATES.slack);
  });

  it('refuses a platform Foghorn sends nothing to, and rates it cannot keep, naming where', () => {
    expect(() => sendRates({ myspace: { rateLimit: 1, burstLimit: 1 } }, ['telegram'])).toThrow(
      /sendRates\.myspace: Foghorn sends nothing to 'myspace'/,
    );
    expect(() => sendRates({ telegram: { rateLimit: 0, burstLimit: 1 } })).toThrow(
      /sendRates\.telegram\.rateLimit must be .* above 0, got 0/,
    );
    expect(() => sendRates({ telegram: { rateLimit: 1, burstLimit: 0.5 } })).toThrow(InvalidSendRateError);
  });

  it('reads FOGHORN_SEND_RATES back as the stack wrote it, and names what is wrong with a broken one', () => {
    expect(parseSendRates(JSON.stringify(DEFAULT_SEND_RATES))).toEqual(DEFAULT_SEND_RATES);
    expect(() => parseSendRates('{')).toThrow(/FOGHORN_SEND_RATES is not JSON/);
    expect(() => parseSendRates('[]')).toThrow(/must be a JSON object/);
    expect(() => parseSendRates('{"x":{"rateLimit":"fast","burstLimit":1}}')).toThrow(/FOGHORN_SEND_RATES\.x\.rateLimit/);
  });
});

describe('takeSends (the token bucket as one number)', () => {
  const rate = { rateLimit: 2, burstLimit: 3 };
  const t0 = Date.parse('2026-12-02T10:00:00Z');

  it('grants a full burst at once after a quiet spell, then one send per interval', () => {
    let tat: number | undefined;
    const granted: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const decision = takeSends(tat, t0, 1, rate);
      granted.push(decision.granted);
      if (decision.granted) tat = decision.tat;
    }
    expect(granted).toEqual([true, true, true, false]);
    expect(takeSends(tat, t0, 1, rate)).toEqual({ granted: false, retryAfterMs: 500 });
    expect(takeSends(tat, t0 + 500, 1, rate).granted).toBe(true);
  });

  it('charges a thread one send per part, and a thread longer than the burst as the burst', () => {
    const three = takeSends(undefined, t0, 3, rate);
    expect(three.granted).toBe(true);
    expect(takeSends(three.granted ? three.tat : 0, t0, 1, rate).granted).toBe(false);
    expect(takeSends(undefined, t0, 10, rate).granted).toBe(true);
  });

  it("after a platform's 429, lets nothing through before its retry time, then one send", () => {
    const until = t0 + 12_000;
    const tat = heldUntil(undefined, until, rate);
    expect(takeSends(tat, t0, 1, rate)).toEqual({ granted: false, retryAfterMs: 12_000 });
    const after = takeSends(tat, until, 1, rate);
    expect(after.granted).toBe(true);
    expect(takeSends(after.granted ? after.tat : 0, until, 1, rate).granted).toBe(false);
    // A hold never shortens a wait already longer.
    expect(heldUntil(until + 60_000, until, rate)).toBe(until + 60_000);
  });
});
