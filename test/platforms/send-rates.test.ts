import { describe, expect, it } from 'vitest';
import { connectors } from '../../functions/platforms/index.js';
import {
  DEFAULT_SEND_RATES,
  heldBucket,
  InvalidSendRateError,
  parseSendRates,
  type SendBucket,
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

describe('takeSends (the token bucket as one number, with slots for the commands turned away)', () => {
  const rate = { rateLimit: 2, burstLimit: 3 };
  const t0 = Date.parse('2026-12-02T10:00:00Z');

  /** Applies a decision as a limiter would, keeping the slots it gives out. */
  function run(steps: Array<{ id: string; at: number; cost?: number }>, start: SendBucket = {}) {
    let bucket = { ...start };
    const slots = new Map<string, number>();
    return steps.map(({ id, at, cost = 1 }) => {
      const decision = takeSends(bucket, slots.get(id), at, cost, rate);
      if (decision.kind === 'sent' || decision.kind === 'reserved') bucket = { ...bucket, tat: decision.tat };
      if (decision.kind === 'reserved') slots.set(id, decision.slotAt);
      if (decision.kind === 'slot') slots.delete(id);
      return { id, ...decision };
    });
  }

  it('grants a full burst at once, then gives each later command the next slot, in order', () => {
    const answers = run(['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, at: t0 })));
    expect(answers.map((answer) => answer.kind)).toEqual(['sent', 'sent', 'sent', 'reserved', 'reserved']);
    expect(answers.slice(3).map((answer) => (answer.kind === 'reserved' ? answer.retryAfterMs : -1))).toEqual([500, 1000]);
  });

  it('lets a command with a due slot send, while one that comes later queues behind the slots already given', () => {
    const answers = run([
      ...['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, at: t0 })),
      { id: 'd', at: t0 + 500 },
      { id: 'late', at: t0 + 500 },
      { id: 'e', at: t0 + 400 },
      { id: 'e', at: t0 + 1000 },
    ]);
    expect(answers.slice(5)).toEqual([
      { id: 'd', kind: 'slot' },
      { id: 'late', kind: 'reserved', tat: t0 + 3000, slotAt: t0 + 1500, retryAfterMs: 1000 },
      // Back within a second of its slot (the queue's delays are whole seconds): it goes.
      { id: 'e', kind: 'slot' },
      // Its slot spent, a retry for another reason queues again.
      { id: 'e', kind: 'reserved', tat: t0 + 3500, slotAt: t0 + 2000, retryAfterMs: 1000 },
    ]);
    // Back well before its slot: told the rest of the wait, nothing charged.
    expect(takeSends({}, t0 + 10_000, t0, 1, rate)).toEqual({ kind: 'wait', retryAfterMs: 10_000 });
  });

  it('charges a thread one send per part, and a thread longer than the burst as the burst', () => {
    const [three, next] = run([
      { id: 'thread', at: t0, cost: 3 },
      { id: 'after', at: t0 },
    ]);
    expect(three?.kind).toBe('sent');
    expect(next?.kind).toBe('reserved');
    expect(takeSends({}, undefined, t0, 10, rate).kind).toBe('sent');
  });

  it("after a platform's 429, sends nothing before its retry time, slots included, then one at a time", () => {
    const until = t0 + 12_000;
    const held = heldBucket({ tat: t0 + 1000 }, until, rate);
    expect(held.heldUntil).toBe(until);
    const first = takeSends(held, undefined, t0, 1, rate);
    expect(first).toEqual({ kind: 'reserved', tat: until + 1500, slotAt: until, retryAfterMs: 12_000 });
    expect(takeSends(held, t0 + 500, t0 + 500, 1, rate)).toEqual({ kind: 'wait', retryAfterMs: 11_500 });
    expect(takeSends(held, t0 + 500, until, 1, rate)).toEqual({ kind: 'slot' });
    // A hold never shortens a wait already longer.
    expect(heldBucket({ tat: until + 60_000, heldUntil: until + 5000 }, until, rate)).toEqual({
      tat: until + 60_000,
      heldUntil: until + 5000,
    });
  });
});

describe('a storm backlog through the bucket (the queue simulated: deliveries in time order, delays in whole seconds)', () => {
  it('sends 1,000 Telegram replies at its rate, in order of their slots, each received at most twice', () => {
    const rate = DEFAULT_SEND_RATES.telegram!;
    let bucket: SendBucket = {};
    const slots = new Map<number, number>();
    const receives = new Array<number>(1000).fill(0);
    const sent: number[] = [];
    // Act's pollers take 100 commands every 50 ms, as fast as the queue gives them.
    const deliveries: Array<[number, number]> = receives.map((_, id) => [Math.floor(id / 100) * 50, id]);
    while (deliveries.length > 0) {
      deliveries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const [at, id] = deliveries.shift()!;
      receives[id]!++;
      const decision = takeSends(bucket, slots.get(id), at, 1, rate);
      if (decision.kind === 'sent' || decision.kind === 'slot') sent.push(at);
      if (decision.kind === 'sent' || decision.kind === 'reserved') bucket = { tat: decision.tat };
      if (decision.kind === 'reserved') slots.set(id, decision.slotAt);
      if (decision.kind === 'slot') slots.delete(id);
      if (decision.kind === 'reserved' || decision.kind === 'wait')
        deliveries.push([at + Math.ceil(decision.retryAfterMs / 1000) * 1000, id]);
    }
    expect(sent).toHaveLength(1000);
    expect(Math.max(...receives)).toBeLessThanOrEqual(2);
    // No second, after the first burst, carries more than the rate and one burst's worth of early returns.
    const perSecond = new Map<number, number>();
    for (const at of sent) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    for (const [second, count] of perSecond) expect(count, `second ${second}`).toBeLessThanOrEqual(rate.rateLimit + rate.burstLimit);
    // The last leaves when the rate says it can: 1,000 sends at 25 a second after a burst of 30.
    expect(Math.max(...sent)).toBeLessThanOrEqual(((1000 - rate.burstLimit) / rate.rateLimit) * 1000 + 1000);
  });
});
