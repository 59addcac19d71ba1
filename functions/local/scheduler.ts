export interface SchedulerLogger {
  error(message: string, ...detail: unknown[]): void;
}

export interface LocalSchedulerOptions {
  /** Named in log lines. */
  name: string;
  /** Time between the end of one run and the start of the next. */
  everyMs: number;
  task: () => Promise<void> | void;
  /** Run once at start() rather than waiting `everyMs` first (EventBridge schedules wait). */
  runAtStart?: boolean;
  /**
   * Start each run on the wall clock's next multiple of `everyMs` (every minute on the minute) rather than `everyMs`
   * after the previous one ended, so work due at a minute (a scheduled post) never drifts to the next one.
   */
  onTheMinute?: boolean;
  logger?: SchedulerLogger;
  /** The wall clock `onTheMinute` reads (tests move it). */
  now?: () => number;
}

/**
 * An EventBridge schedule stand-in: runs a task every `everyMs`, one run at a time (the next is timed
 * from the end of the previous, so a slow run never overlaps the next). A failing run is logged and the
 * schedule goes on; stop() waits for a run in progress. With `onTheMinute`, runs start on the wall clock's boundaries.
 */
export class LocalScheduler {
  private readonly options: Required<Omit<LocalSchedulerOptions, 'logger' | 'now'>> & { logger: SchedulerLogger; now: () => number };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private active = false;

  constructor(options: LocalSchedulerOptions) {
    if (!options.name) throw new Error('LocalScheduler: name is required');
    if (!(Number.isFinite(options.everyMs) && options.everyMs > 0)) {
      throw new Error(`LocalScheduler(${options.name}): everyMs must be a positive number, got ${options.everyMs}`);
    }
    this.options = { runAtStart: false, onTheMinute: false, logger: console, now: Date.now, ...options };
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    if (this.options.runAtStart) this.run();
    else this.schedule();
  }

  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(): void {
    if (!this.active) return;
    const { everyMs, onTheMinute, now } = this.options;
    // A few milliseconds past the boundary, so the run reads a clock already in the new minute.
    const wait = onTheMinute ? everyMs - (now() % everyMs) + 5 : everyMs;
    this.timer = setTimeout(() => this.run(), wait);
    this.timer.unref();
  }

  private run(): void {
    this.timer = undefined;
    this.running = (async () => {
      try {
        await this.options.task();
      } catch (error) {
        this.options.logger.error(`scheduled task ${this.options.name} failed; it runs again in ${this.options.everyMs} ms`, error);
      }
    })().finally(() => {
      this.running = undefined;
      this.schedule();
    });
  }
}
