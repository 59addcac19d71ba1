import type { CanonicalEvent } from '../core/event.js';
import { COMPUTED_FACTS, fieldValue } from './facts.js';
import { detectLanguage } from './lang/detect.js';
import type { LocalTime } from './time.js';

/** Per-event values computed at most once, whichever rule asks first. */
export class EventScope {
  private langValue: Promise<string | undefined> | undefined;
  private langResolved: string | undefined;
  private time: LocalTime | undefined;
  constructor(
    readonly event: CanonicalEvent,
    readonly now: Date,
    private readonly localTime: (now: Date) => LocalTime,
    readonly crisisMode = false,
  ) {}

  /** The platform's language, else the detected one; detection runs at most once per event. */
  lang(): Promise<string | undefined> {
    this.langValue ??= (async () => {
      this.langResolved = this.event.lang?.toLowerCase() ?? (await detectLanguage(this.event.text));
      return this.langResolved;
    })();
    return this.langValue;
  }

  /** The language after lang() resolved (templates render synchronously). */
  get resolvedLang(): string | undefined {
    return this.langResolved;
  }

  get local(): LocalTime {
    this.time ??= this.localTime(this.now);
    return this.time;
  }

  computed(name: string): unknown {
    switch (name) {
      case 'lang':
        return this.resolvedLang;
      case 'localHour':
        return this.local.localHour;
      case 'weekday':
        return this.local.weekday;
      case 'businessHours':
        return this.local.businessHours;
      case 'holiday':
        return this.local.holiday;
      case 'crisisMode':
        return this.crisisMode;
      default:
        return undefined;
    }
  }

  /** A field for templates and facts: computed facts first, then the event's fields. */
  field(name: string): unknown {
    return name in COMPUTED_FACTS ? this.computed(name) : fieldValue(this.event, name);
  }
}

/** The runtime fact through which computed facts reach the scope of the event being evaluated. */
export const SCOPE_FACT = '$foghorn';
