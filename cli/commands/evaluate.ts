import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ruleLanguage } from '../../functions/app/rule-language.js';
import { canonicalEventSchema } from '../../functions/core/event.js';
import {
  compileSources,
  createRuleSet,
  flattenAction,
  memoryRuleState,
  offlineRuleSet,
  RuleValidationError,
  readRuleSources,
} from '../../functions/rules/index.js';
import { type Command, UsageError } from '../io.js';
import { configFor, parse, rulesDirFrom } from './options.js';

const USAGE = 'foghorn evaluate --rules DIR --events FILE.jsonl [--explain] [--now ISO-TIME] [--config FILE]';

/**
 * Evaluates canonical events (one JSON object a line) in order with one fresh in-memory state, so
 * limits apply across the file. Each event is evaluated at --now, else at its receivedAt. The rule
 * language's extensions play out offline too (crisis mode: spikes, SLA timers, with time taken from the events).
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
    const offline = offlineRuleSet(createRuleSet(compiled.rules, compiled.config, compiled.text), compiled.rules, ruleLanguage);
    const { ruleSet } = offline;
    const state = memoryRuleState();
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
      // Spikes ended and timers due by now come first, each on its own line, as the sweep would have produced them.
      const tick = await offline.advance(now);
      for (const ended of tick.decisions)
        io.out(JSON.stringify({ event: ended.eventId, rules: [ended.ruleId], actions: ended.actions.map(flattenAction) }));
      for (const breach of tick.events) {
        const breached = await ruleSet.evaluate(breach, { now, state });
        io.out(JSON.stringify({ event: breach.id, rules: breached.rules, actions: breached.actions.map(flattenAction) }));
      }
      const decision = await ruleSet.evaluate(event, { now, state, explain: values.explain === true });
      io.out(
        JSON.stringify({
          event: event.id,
          rules: decision.rules,
          actions: decision.actions.map(flattenAction),
          ...(values.explain ? { explain: decision.explanation } : {}),
        }),
      );
    }
    return bad > 0 ? 1 : 0;
  },
};
