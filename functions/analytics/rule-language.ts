import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { durationSchema } from '../core/duration-schema.js';
import type { RuleLanguageExtension } from '../rules/extension.js';
import { AnalyticsConfigError, DEFAULT_RESPONSE_TARGET, parseAnalyticsSection, problemText } from './config.js';

/** The section's shape for editors; parseAnalyticsSection checks it, with every problem's line. */
const analyticsSectionSchema = z
  .object({
    responseTarget: durationSchema()
      .optional()
      .describe(`The team's first-response target; the share answered within it is reported (default ${DEFAULT_RESPONSE_TARGET})`),
  })
  .strict()
  .describe('Response-time analytics');

/**
 * The `analytics:` section of foghorn.config.yaml (the response target), checked wherever the rest of the team
 * config is; a problem names the file, its line and the field.
 */
export const analyticsRuleLanguage: RuleLanguageExtension = {
  name: 'analytics',
  ruleKeys: {},
  configSections: {
    analytics: (value, source) => {
      try {
        parseAnalyticsSection(value, source);
      } catch (error) {
        if (!(error instanceof AnalyticsConfigError)) throw error;
        throw new AnalyticsConfigError(problemText(source, error.problems, lineLocator(source)), error.problems);
      }
    },
  },
  configSchemas: { analytics: analyticsSectionSchema },
};

/**
 * The line of a path in the YAML file `source`; 0 when the file cannot be read or the path is not in it. The YAML
 * parser is loaded only here, when a section is wrong, and not through an import: every Lambda bundle carries this
 * check (the rule language), and evaluate's must stay without the parser.
 */
export function lineLocator(source: string): (path: readonly string[]) => number {
  let text: string | undefined;
  let yaml: typeof import('yaml') | undefined;
  try {
    text = existsSync(source) ? readFileSync(source, 'utf8') : undefined;
    yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  } catch {
    text = undefined;
  }
  if (text === undefined || yaml === undefined) return () => 0;
  const { isNode, LineCounter, parseDocument } = yaml;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  return (path) => {
    for (let length = path.length; length > 0; length--) {
      // A field that is absent: the line of the nearest enclosing node that is there.
      const node = document.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return 0;
  };
}
