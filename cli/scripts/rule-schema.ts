// npm run schema: writes the editor schemas in schema/ from the validator's zod schemas. The rule schema lists the
// targets and channels of the team config (foghorn.config.yaml, found as the CLI finds it), so run it again after
// changing those.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { findConfigPath, readFoghornConfig } from '../../functions/rules/config.js';
import { configJsonSchemaText, ruleFileJsonSchemaText } from '../../functions/rules/json-schema.js';

const outDir = resolve(process.argv[2] ?? 'schema');
const configPath = findConfigPath(process.env.FOGHORN_RULES ?? 'rules');
const options = { extensions: ruleLanguage };
const config = configPath ? readFoghornConfig(configPath, options) : undefined;
const files = {
  'rule.schema.json': ruleFileJsonSchemaText({ ...options, ...(config ? { config } : {}) }),
  'config.schema.json': configJsonSchemaText(options),
};
for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(outDir, name), text);
  process.stdout.write(
    `wrote ${join(outDir, name)}${name === 'rule.schema.json' && configPath ? ` (targets and channels of ${configPath})` : ''}\n`,
  );
}
