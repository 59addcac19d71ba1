/** SLA timers and spike counters work to the minute: epoch minutes are their buckets. */
export const MINUTE_MS = 60_000;

export function epochMinute(at: Date | number): number {
  return Math.floor((typeof at === 'number' ? at : at.getTime()) / MINUTE_MS);
}

export function minuteStart(minute: number): Date {
  return new Date(minute * MINUTE_MS);
}

/** Every epoch minute from `from` to `to` inclusive (empty when `to` < `from`). */
export function minutesBetween(from: number, to: number): number[] {
  const minutes: number[] = [];
  for (let minute = from; minute <= to; minute++) minutes.push(minute);
  return minutes;
}
