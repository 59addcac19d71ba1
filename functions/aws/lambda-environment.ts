import { parseSendRates, type SendRate } from '../platforms/send-rates.js';

/**
 * The environment the CDK stack sets on each function (infra/stack.ts), typed. A function gets only
 * the variables of what it may touch, so a required one is checked when first read and its absence
 * names it.
 */
export class LambdaEnvironment {
  constructor(readonly values: Readonly<Record<string, string | undefined>> = process.env) {}

  get tableName(): string {
    return this.required('TABLE_NAME');
  }

  get busName(): string {
    return this.required('BUS_NAME');
  }

  get actionsQueueUrl(): string {
    return this.required('ACTIONS_QUEUE_URL');
  }

  get actionsDeadLetterQueueUrl(): string {
    return this.required('ACTIONS_DLQ_URL');
  }

  /** The actions queue's ARN: where a redrive of its dead letters sends them (api only). */
  get actionsQueueArn(): string {
    return this.required('ACTIONS_QUEUE_ARN');
  }

  /** The actions dead-letter queue's ARN: the source of a redrive (api only). */
  get actionsDeadLetterQueueArn(): string {
    return this.required('ACTIONS_DLQ_ARN');
  }

  /** The one secret of `FOGHORN_*` keys; functions that send nothing get none. */
  get secretArn(): string | undefined {
    return this.optional('FOGHORN_SECRET_ARN');
  }

  /** The rule set validated at synth (evaluate only). */
  get compiledRulesPath(): string {
    return this.required('FOGHORN_COMPILED_RULES');
  }

  /** Whether this function ships the compiled rule set (evaluate), whose config is its team config. */
  get hasCompiledRules(): boolean {
    return this.optional('FOGHORN_COMPILED_RULES') !== undefined;
  }

  /** A foghorn.config.yaml named by hand; the stack sets FOGHORN_TEAM_CONFIG instead. */
  get configPath(): string | undefined {
    return this.optional('FOGHORN_CONFIG');
  }

  /** The team config validated at synth, as JSON (infra/rules-for-deployment.ts writes it). */
  get teamConfigJsonPath(): string | undefined {
    return this.optional('FOGHORN_TEAM_CONFIG');
  }

  get rulesDir(): string {
    return this.optional('FOGHORN_RULES') ?? 'rules';
  }

  get sandbox(): boolean {
    return this.values.FOGHORN_SANDBOX === 'true';
  }

  /** Each platform's send rate as JSON (act only; functions/platforms/send-rates.ts); none: no limit but the platforms' own. */
  get sendRates(): Record<string, SendRate> | undefined {
    const raw = this.optional('FOGHORN_SEND_RATES');
    return raw === undefined ? undefined : parseSendRates(raw);
  }

  get actionLeaseMs(): number | undefined {
    const raw = this.optional('FOGHORN_ACTION_LEASE_MS');
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`environment variable FOGHORN_ACTION_LEASE_MS must be a whole number of milliseconds, got '${raw}'`);
    return value;
  }

  private optional(name: string): string | undefined {
    const value = this.values[name];
    return value === undefined || value === '' ? undefined : value;
  }

  private required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new Error(`environment variable ${name} is not set (the CDK stack sets it)`);
    return value;
  }
}
