import type { CompiledAction, CompiledRule, LocalisedTemplates } from './compile.js';
import type { EventScope } from './event-scope.js';

/** Turning a rule's compiled actions into planned actions for one event: texts chosen, placeholders filled. */

function chooseText(text: LocalisedTemplates, scope: EventScope, defaultLang: string): { lang: string; text: string } {
  const lookup = (field: string) => scope.field(field);
  if (text.kind === 'single') return { lang: scope.resolvedLang ?? defaultLang, text: text.template.render(lookup) };
  const lang = scope.resolvedLang;
  if (lang !== undefined) {
    const exact = text.templates.get(lang) ?? text.templates.get(lang.split('-')[0]!);
    if (exact) return { lang: text.templates.has(lang) ? lang : lang.split('-')[0]!, text: exact.render(lookup) };
  }
  return { lang: defaultLang, text: text.templates.get('default')!.render(lookup) };
}

export function renderAction(
  action: CompiledAction,
  scope: EventScope,
  defaultLang: string,
): { type: string; params: Record<string, unknown> } {
  const lookup = (field: string) => scope.field(field);
  switch (action.type) {
    case 'reply':
      return { type: 'reply', params: chooseText(action.text, scope, defaultLang) };
    case 'post':
      return { type: 'post', params: { channel: action.channel, ...chooseText(action.text, scope, defaultLang) } };
    case 'tag':
      return { type: 'tag', params: { tags: action.tags } };
    case 'escalate':
      return { type: 'escalate', params: { target: action.target, severity: action.severity, summary: action.summary.render(lookup) } };
    case 'crisis':
      return { type: 'crisis', params: { state: action.state } };
    case 'assign': {
      const { type: _type, ...params } = action;
      return { type: 'assign', params };
    }
    case 'hold': {
      const inner = action.inner ? renderAction(action.inner, scope, defaultLang) : undefined;
      return {
        type: 'hold',
        params: { reason: action.reason.render(lookup), ...(inner ? { action: { type: inner.type, ...inner.params } } : {}) },
      };
    }
  }
}

/** Whether acting on the rule needs the event's language (texts to choose, or a {{lang}} placeholder). */
export function needsLanguage(rule: CompiledRule): boolean {
  const uses = (action: CompiledAction): boolean => {
    switch (action.type) {
      case 'reply':
      case 'post':
        return true;
      case 'hold':
        return (action.inner !== undefined && uses(action.inner)) || action.reason.fields.includes('lang');
      case 'escalate':
        return action.summary.fields.includes('lang');
      default:
        return false;
    }
  };
  return rule.actions.some(uses) || (rule.onQuiet ?? []).some(uses);
}
