import type { CanonicalEvent } from '../core/event.js';
import { COMPUTED_FACTS, fieldValue } from './facts.js';
import type { AuthorLanguages } from './lang/author-languages.js';
import { detectTextLanguage, type TextLanguageDetector } from './lang/detect.js';
import { decideLanguage, describeLanguage, platformLanguage, type ResolvedLanguage } from './lang/language-priors.js';
import type { LocalTime } from './time.js';

/** What the rule set knows about languages beyond the text: the priors for short posts. */
export interface EventLanguageContext {
  /** Recent languages per author (`<platform>:<author id>`), learnt from the posts whose text decided. */
  authors?: AuthorLanguages;
  /** The team config's `language.channels`: `<platform>:<channel id>` → language. */
  channels?: Readonly<Record<string, string>>;
  detect?: TextLanguageDetector;
}

/** Per-event values computed at most once, whichever rule asks first. */
export class EventScope {
  private langValue: Promise<string | undefined> | undefined;
  private langResolved: string | undefined;
  private langDecision: ResolvedLanguage | undefined;
  private textDecided = false;
  private time: LocalTime | undefined;
  constructor(
    readonly event: CanonicalEvent,
    readonly now: Date,
    private readonly localTime: (now: Date) => LocalTime,
    readonly crisisMode = false,
    private readonly language: EventLanguageContext = {},
  ) {}

  /**
   * The post's language as the platform gives it, else the text's where it decides, else a prior
   * (the platform's language for the author, the author's recent one, the channel's); detection runs
   * at most once per event, and a language the text decided is remembered for the author.
   */
  lang(): Promise<string | undefined> {
    this.langValue ??= (async () => {
      const resolved = await this.resolveLanguage();
      if (resolved.from === 'text' && resolved.lang !== undefined && this.event.lang === undefined && this.textDecided) {
        this.language.authors?.record(this.authorKey, resolved.lang);
      }
      this.langDecision = resolved;
      this.langResolved = resolved.lang;
      return resolved.lang;
    })();
    return this.langValue;
  }

  /** For --explain: the language and what decided it (`fa (from: author)`), without teaching the author memory. */
  async explainLanguage(): Promise<string> {
    return describeLanguage(this.langDecision ?? (await this.resolveLanguage()));
  }

  private get authorKey(): string {
    return `${this.event.platform}:${this.event.author.id}`;
  }

  private async resolveLanguage(): Promise<ResolvedLanguage> {
    const declared = this.event.lang?.toLowerCase();
    if (declared !== undefined) return { lang: declared, from: 'platform' };
    const text = await (this.language.detect ?? detectTextLanguage)(this.event.text);
    this.textDecided = text.decisive;
    return decideLanguage(text, {
      platform: platformLanguage(this.event),
      author: this.language.authors?.languageOf(this.authorKey),
      channel: this.language.channels?.[`${this.event.platform}:${this.event.channel.id}`],
    });
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
