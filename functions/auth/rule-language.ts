import { z } from 'zod';
import type { RuleLanguageExtension } from '../rules/extension.js';
import { parseConsoleSection, USER_NAME } from './console-config.js';
import { ROLES } from './roles.js';

/** The section's shape for editors; parseConsoleSection checks it, with every problem's line. */
const consoleSectionSchema = z
  .looseObject({
    users: z
      .array(
        z
          .object({
            name: z.string().regex(USER_NAME).describe('Letters and digits of any script, then . _ @ or -, up to 64'),
            role: z.enum(ROLES).describe('viewer reads; agent answers approvals; lead also switches crisis mode; admin also manages'),
            password: z
              .string()
              .regex(/^scrypt\$/)
              .describe('A scrypt hash as `foghorn users add` prints it, never the password itself'),
          })
          .strict(),
      )
      .optional(),
  })
  .describe('Who may sign in to the local console, with which role (docs/console.md)');

/** The console's section of foghorn.config.yaml (`console.users`), checked wherever the rest of the team config is. */
export const consoleRuleLanguage: RuleLanguageExtension = {
  name: 'console',
  ruleKeys: {},
  configSections: {
    console: (value, source) => {
      parseConsoleSection(value, source);
    },
  },
  configSchemas: { console: consoleSectionSchema },
};
