import { FoghornError } from '../core/errors.js';

/** One thing wrong in a rule file, located for the person who wrote it. */
export interface RuleProblem {
  file: string;
  /** 1-based; 0 when the problem is about the file as a whole. */
  line: number;
  /** Id of the rule the problem is in, when known. */
  ruleId?: string;
  /** Path inside the rule, e.g. `when.all[1].operator`; empty for the whole file. */
  path: string;
  message: string;
}

export function formatProblem(problem: RuleProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file;
  const inside = [problem.ruleId, problem.path].filter((part) => part !== undefined && part !== '').join(' › ');
  return inside === '' ? `${where}: ${problem.message}` : `${where}: ${inside}: ${problem.message}`;
}

/** A rule set that must not reach the evaluator; `problems` lists every error found, not just the first. */
export class RuleValidationError extends FoghornError {
  readonly problems: readonly RuleProblem[];
  constructor(problems: readonly RuleProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`rule set is invalid (${count}):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`, { status: 422, detail: problems });
    this.problems = problems;
  }
}

/** foghorn.config.yaml is unreadable or invalid. */
export class RuleConfigError extends FoghornError {
  constructor(message: string, detail?: unknown) {
    super(message, { status: 500, detail });
  }
}
