import type { RuleSet } from '../core/rule-set.js';
import type { LoadedRules, RuleSource } from './rule-source.js';

/**
 * `target` with some members replaced (each made by its function on every read) and every other one read from
 * `target` itself: a class with private fields or lazy getters (the AWS adapters) keeps working behind it.
 */
export function overriding<T extends object>(target: T, overrides: { [K in keyof T]?: () => T[K] }): T {
  return new Proxy(target, {
    get(object, property) {
      const override = (overrides as Record<PropertyKey, (() => unknown) | undefined>)[property];
      if (override) return override();
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

/** `inner` with each rule set it loads passed through `tap` once (the same tapped set while the rules stay the same). */
export function tappingRuleSets(inner: RuleSource, tap: (ruleSet: RuleSet) => RuleSet): RuleSource {
  const tapped = new WeakMap<LoadedRules, LoadedRules>();
  return overriding(inner, {
    current: () => async () => {
      const loaded = await inner.current();
      let made = tapped.get(loaded);
      if (!made) {
        made = { ...loaded, ruleSet: tap(loaded.ruleSet) };
        tapped.set(loaded, made);
      }
      return made;
    },
  });
}
