import type { z } from 'zod';
import type { CanonicalEvent } from '../core/event.js';
import type { PlannedAction, RuleSet } from '../core/rule-set.js';
import type { TextLimit } from '../text/index.js';
import type { CompiledRule, LocatedProblem } from './compile.js';
import type { FoghornConfig } from './config.js';
import type { RuleSpec } from './schema.js';

/**
 * What another part of Foghorn adds to the rule language without the rules module knowing it (crisis
 * mode adds volume, after and crisisReply): the keys a rule may hold, the sections of
 * foghorn.config.yaml it checks, and how its behaviour plays out offline. The list Foghorn runs is
 * functions/app/rule-language.ts; every rules API that validates, compiles or tests rules takes it,
 * so a key is known to validate, test, deploy and both runtimes alike, or to none of them.
 */
export interface RuleLanguageExtension {
  /** Who adds it, for messages (`crisis`). */
  readonly name: string;
  /** Rule-level keys (each optional), added to the rule file schema after the base language's own, in this order. */
  readonly ruleKeys: Readonly<Record<string, z.ZodType>>;
  /**
   * Sections of foghorn.config.yaml this extension checks, by key, given the section's value (after
   * the base defaults), the file's name and the whole checked config (for names declared in another section, such as
   * `targets:`); a checker throws an Error whose message says what is wrong.
   */
  readonly configSections?: Readonly<Record<string, (value: unknown, source: string, config: FoghornConfig) => void>>;
  /**
   * The shape of those sections for editors (schema/config.schema.json), by key: the zod schema the checker
   * parses with where it has one. The checker stays the judge; this is what an editor completes and flags.
   */
  readonly configSchemas?: Readonly<Record<string, z.ZodType>>;
  /**
   * Problems in a rule only this extension can see, reported with the rule's own (a reply to events that cannot be
   * answered: listening's feed items). Called once the rule has the right shape, with the team config it is checked against.
   */
  checkRule?(rule: RuleSpec, config: FoghornConfig): LocatedProblem[];
  /** The rule set as it behaves offline (rule tests, `foghorn evaluate`), with fresh in-memory state on every call. */
  offline?(base: RuleSet, rules: readonly CompiledRule[]): OfflineRuleSet;
  /**
   * The length limit of a text sent to a platform (the platforms' table): static texts are checked
   * against it at validation, and `overflow` applies it when a reply or post is rendered.
   */
  readonly textLimits?: TextLimitLookup;
}

/** Where a reply or post goes: the platform, the action, and the kind of event it answers when known. */
export interface TextTarget {
  platform: string;
  action: string;
  kind?: string;
}

/** A platform's limit for one kind of text: its name for messages, and whether parts can form a thread. */
export interface TargetTextLimit extends TextLimit {
  readonly platform: string;
  readonly surface: string;
  readonly threads: boolean;
}

export type TextLimitLookup = (target: TextTarget) => TargetTextLimit | undefined;

/** The extensions in use: every rules API that validates, compiles or tests rules takes them. */
export interface RuleLanguageOptions {
  readonly extensions: readonly RuleLanguageExtension[];
}

/**
 * What a rule set validated at synth needs of an extension at run time: its name, the names of its rule keys (a
 * compiled rule holding a key no extension knows is refused) and the platforms' text limits. No schemas, so a
 * bundle that only loads compiled rules carries no zod (functions/app/rule-language-basics.ts lists them).
 */
export interface RuleLanguageBasics {
  readonly name: string;
  readonly ruleKeyNames: readonly string[];
  readonly textLimits?: TextLimitLookup;
}

/** An extension's basics (the same object when it is one already). */
export function basicsOf(extension: RuleLanguageExtension | RuleLanguageBasics): RuleLanguageBasics {
  if (!('ruleKeys' in extension)) return extension;
  return {
    name: extension.name,
    ruleKeyNames: Object.keys(extension.ruleKeys),
    ...(extension.textLimits ? { textLimits: extension.textLimits } : {}),
  };
}

export interface OfflineRuleSet {
  readonly ruleSet: RuleSet;
  /** Moves the offline clock to `now`: what the extension's scheduled work (a sweep) would have produced by then. */
  advance?(now: Date): Promise<OfflineTick>;
}

export interface OfflineTick {
  /** Events produced on the clock (an SLA breach), to be evaluated like the file's own events. */
  events: CanonicalEvent[];
  /** Actions decided on the clock (a spike episode that went quiet), with the event and rule they belong to. */
  decisions: Array<{ eventId: string; ruleId: string; actions: PlannedAction[] }>;
}
