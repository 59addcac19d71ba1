/**
 * Logic-less `{{field}}` templates: a placeholder names a field and nothing else, so text written in
 * a rule can never run code. Parsed once at load; a missing field renders empty.
 */

type Part = { literal: string } | { field: string };

export interface Template {
  readonly source: string;
  readonly fields: readonly string[];
  render(lookup: (field: string) => unknown): string;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

export class TemplateSyntaxError extends Error {}

export function compileTemplate(source: string): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    const field = match[1]!.trim();
    if (!FIELD_NAME.test(field)) {
      throw new TemplateSyntaxError(
        `'{{${match[1]}}}' is not a field name: placeholders hold a dotted field such as {{author.name}}, nothing else`,
      );
    }
    if (match.index > last) parts.push({ literal: source.slice(last, match.index) });
    parts.push({ field });
    last = match.index + match[0].length;
  }
  if (last < source.length) parts.push({ literal: source.slice(last) });
  const fields = parts.flatMap((part) => ('field' in part ? [part.field] : []));
  return {
    source,
    fields,
    render(lookup) {
      let out = '';
      for (const part of parts) {
        if ('literal' in part) {
          out += part.literal;
          continue;
        }
        const value = lookup(part.field);
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out += String(value);
      }
      return out;
    },
  };
}
