import type { SlaTimer, TimerStore } from '../ports.js';
import { filingMinute } from '../sla-timer.js';

export function memoryTimerStore(): TimerStore {
  const timers = new Map<string, SlaTimer & { minute: number }>();
  let swept: number | undefined;
  const copy = (timer: SlaTimer & { minute: number }): SlaTimer => {
    const { minute: _minute, ...rest } = structuredClone(timer);
    return rest;
  };
  return {
    async put(timer, now) {
      if (timers.has(timer.id)) return false;
      timers.set(timer.id, { ...structuredClone(timer), minute: filingMinute(timer, now) });
      return true;
    },
    async get(id) {
      const timer = timers.get(id);
      return timer ? copy(timer) : undefined;
    },
    async pendingInMinutes(minutes) {
      const wanted = new Set(minutes);
      return [...timers.values()].filter((timer) => timer.status === 'pending' && wanted.has(timer.minute)).map(copy);
    },
    async pendingInConversation(conversation) {
      return [...timers.values()].filter((timer) => timer.status === 'pending' && timer.conversations.includes(conversation)).map(copy);
    },
    async settle(id, status, at) {
      const timer = timers.get(id);
      if (timer?.status !== 'pending') return false;
      timer.status = status;
      if (status === 'answered') timer.answeredAt = at.toISOString();
      else timer.firedAt = at.toISOString();
      return true;
    },
    async sweptThrough() {
      return swept;
    },
    async setSweptThrough(minute) {
      swept = Math.max(swept ?? minute, minute);
    },
  };
}
