import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { dryRun } from '../../functions/app/dry-run.js';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { canonicalEventSchema } from '../../functions/core/event.js';
import { compileSources, RuleValidationError, readRuleSources } from '../../functions/rules/index.js';
import { type Command, UsageError } from '../io.js';
import { configFor, parse, rulesDirFrom } from './options.js';

const USAGE = 'foghorn evaluate --rules DIR --events FILE.jsonl [--explain] [--now ISO-TIME] [--config FILE]';

/**
 * Evaluates canonical events (one JSON object a line) in order with one fresh in-memory state, so
 * limits apply across the file. Each event is evaluated at --now, else at its receivedAt, and each
 * action goes through what the runtime's act stage would do (crisis mode, the outgoing guard, the
 * length guard, approvals), recorded and never sent: every action says its fate (app/dry-run.ts).
 */
export const evaluateCommand: Command = {
  summary: 'evaluate events from a JSONL file against a rules folder',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        rules: { type: 'string' },
        events: { type: 'string' },
        explain: { type: 'boolean' },
        now: { type: 'string' },
        config: { type: 'string' },
      },
      false,
    );
    void positionals;
    if (values.events === undefined) throw new UsageError('--events FILE.jsonl is required');
    const eventsPath = resolve(io.cwd, values.events);
    if (!existsSync(eventsPath)) throw new UsageError(`events file ${eventsPath} does not exist`);
    let fixedNow: Date | undefined;
    if (values.now !== undefined) {
      fixedNow = new Date(values.now);
      if (Number.isNaN(fixedNow.getTime())) throw new UsageError(`--now '${values.now}' is not an ISO time such as 2026-01-05T10:00:00Z`);
    }
    const dir = rulesDirFrom(values.rules, io);
    if (!existsSync(dir)) throw new UsageError(`rules folder ${dir} does not exist`);
    const sources = await readRuleSources(dir);
    const config = configFor(dir, values.config, io);
    const compiled = compileSources(sources, config, { extensions: ruleLanguage });
    if (compiled.problems.length > 0) throw new RuleValidationError(compiled.problems);
    const run = dryRun(compiled);
    let lineNumber = 0;
    let bad = 0;
    const lines = createInterface({ input: createReadStream(eventsPath, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        io.err(`${values.events}:${lineNumber}: not JSON: ${(error as Error).message}`);
        bad++;
        continue;
      }
      const parsed = canonicalEventSchema.safeParse(json);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`).join('; ');
        io.err(`${values.events}:${lineNumber}: not a canonical event: ${detail}`);
        bad++;
        continue;
      }
      const event = parsed.data;
      const now = fixedNow ?? new Date(event.receivedAt);
      // The sweep's lines (breaches, resolves) come first, marked, as the one-minute sweep would have produced them by now.
      for (const out of await run.evaluate(event, now, values.explain === true)) io.out(JSON.stringify(out));
    }
    return bad > 0 ? 1 : 0;
  },
};
