import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../functions/auth/sessions.js';
import { OneTimeToken } from '../../functions/auth/sign-in-link.js';

function clockAt(iso: string) {
  let now = new Date(iso).getTime();
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

const MINUTE = 60_000;

describe('sessions', () => {
  it('resolves a new session by its id, and never by another', () => {
    const sessions = new SessionStore();

    const session = sessions.create({ name: 'maya', role: 'lead', via: 'user' });

    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.resolve(session.id)).toMatchObject({ name: 'maya', role: 'lead', via: 'user' });
    expect(sessions.resolve(`${session.id}x`)).toBeUndefined();
    expect(sessions.create({ name: 'maya', role: 'lead', via: 'user' }).id).not.toBe(session.id);
  });

  it('ends a session left idle, and one past its lifetime however busy', () => {
    const clock = clockAt('2026-01-05T09:00:00Z');
    const sessions = new SessionStore({ clock, lifetimeMs: 60 * MINUTE, idleMs: 20 * MINUTE });
    const idle = sessions.create({ name: 'li', role: 'agent', via: 'user' });
    const busy = sessions.create({ name: 'sam', role: 'viewer', via: 'user' });

    for (let minute = 0; minute < 50; minute += 10) {
      clock.advance(10 * MINUTE);
      expect(sessions.resolve(busy.id), `busy at ${minute + 10} min`).toBeDefined();
    }
    expect(sessions.resolve(idle.id)).toBeUndefined();
    clock.advance(10 * MINUTE);
    expect(sessions.resolve(busy.id)).toBeUndefined();
  });

  it('ends one session on logout and leaves the others', () => {
    const sessions = new SessionStore();
    const phone = sessions.create({ name: 'maya', role: 'lead', via: 'user' });
    const laptop = sessions.create({ name: 'maya', role: 'lead', via: 'user' });

    expect(sessions.end(phone.id)).toBe(true);

    expect(sessions.end(phone.id)).toBe(false);
    expect(sessions.resolve(phone.id)).toBeUndefined();
    expect(sessions.resolve(laptop.id)).toBeDefined();
  });

  it('makes room past its ceiling by ending the oldest session', () => {
    const sessions = new SessionStore({ maxSessions: 2 });
    const first = sessions.create({ name: 'a', role: 'viewer', via: 'user' });
    const second = sessions.create({ name: 'b', role: 'viewer', via: 'user' });

    const third = sessions.create({ name: 'c', role: 'viewer', via: 'user' });

    expect(sessions.size).toBe(2);
    expect(sessions.resolve(first.id)).toBeUndefined();
    expect(sessions.resolve(second.id)).toBeDefined();
    expect(sessions.resolve(third.id)).toBeDefined();
  });
});

describe('the one-time sign-in token', () => {
  it('signs in once; the same token again is refused', () => {
    const token = new OneTimeToken();

    expect(token.consume('not-it')).toBe('wrong');
    expect(token.consume(token.value)).toBe('signed-in');
    expect(token.consume(token.value)).toBe('used');
  });

  it('is refused after it expires, and stays spent', () => {
    const clock = clockAt('2026-01-05T09:00:00Z');
    const token = new OneTimeToken({ clock, ttlMs: 30 * MINUTE });

    clock.advance(30 * MINUTE);

    expect(token.expiresAt.toISOString()).toBe('2026-01-05T09:30:00.000Z');
    expect(token.consume(token.value)).toBe('expired');
    expect(token.consume(token.value)).toBe('used');
  });
});
