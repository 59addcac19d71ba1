// npm run schema: writes schema/rule.schema.json from the validator's zod schema.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { ruleFileJsonSchemaText } from '../../functions/rules/json-schema.js';

const out = resolve(process.argv[2] ?? 'schema/rule.schema.json');
writeFileSync(out, ruleFileJsonSchemaText({ extensions: ruleLanguage }));
process.stdout.write(`wrote ${out}\n`);
