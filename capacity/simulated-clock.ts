/**
 * The storm's clock. While installed, `Date.now()` and `new Date()` read it, so every part of the pipeline
 * (the adapters' clock, the stores' caches that read Date.now, signature timestamps) lives in simulated time;
 * a date built from a value is untouched. CPU time is measured with process.cpuUsage, which this leaves alone.
 */
export class SimulatedClock {
  #now: number;
  #restore: (() => void) | undefined;

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  get ms(): number {
    return this.#now;
  }

  /** Moves to `ms` (never backwards: a late step keeps the time already reached). */
  set(ms: number): void {
    this.#now = Math.max(this.#now, ms);
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  install(): void {
    if (this.#restore) return;
    const RealDate = Date;
    const clock = this;
    class StormDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(clock.#now);
        else super(...(args as [string]));
      }
      static override now(): number {
        return clock.#now;
      }
    }
    globalThis.Date = StormDate as DateConstructor;
    this.#restore = () => {
      globalThis.Date = RealDate;
    };
  }

  uninstall(): void {
    this.#restore?.();
    this.#restore = undefined;
  }
}
