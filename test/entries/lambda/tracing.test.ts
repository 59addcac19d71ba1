import { Tracer } from '@aws-lambda-powertools/tracer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyTracer, traceLambdaHandler, tracingWanted } from '../../../functions/entries/lambda/tracing.js';

const LAMBDA = 'AWS_Lambda_nodejs22.x';

/** Environments that switch Powertools' tracing on or off, each as the variables it sets (the others unset). */
const ENVIRONMENTS: ReadonlyArray<Record<string, string>> = [
  {},
  { AWS_EXECUTION_ENV: LAMBDA },
  { AWS_EXECUTION_ENV: LAMBDA, POWERTOOLS_TRACE_ENABLED: 'false' },
  { AWS_EXECUTION_ENV: LAMBDA, POWERTOOLS_TRACE_ENABLED: 'FALSE' },
  { AWS_EXECUTION_ENV: LAMBDA, POWERTOOLS_TRACE_ENABLED: 'true' },
  { AWS_EXECUTION_ENV: LAMBDA, AWS_SAM_LOCAL: 'true' },
  { AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' },
  { POWERTOOLS_TRACE_ENABLED: 'true' },
];
const VARIABLES = ['AWS_EXECUTION_ENV', 'POWERTOOLS_TRACE_ENABLED', 'AWS_SAM_LOCAL', 'POWERTOOLS_DEV'];

function stub(env: Record<string, string>): void {
  for (const name of VARIABLES) vi.stubEnv(name, env[name] ?? '');
}

describe('tracing, loaded only where it traces', () => {
  afterEach(() => vi.unstubAllEnvs());

  it("decides as Powertools' Tracer decides, without loading it", () => {
    for (const env of ENVIRONMENTS) {
      stub(env);
      expect(tracingWanted({ ...env }), JSON.stringify(env)).toBe(new Tracer({ serviceName: 'foghorn' }).isTracingEnabled());
    }
  });

  it('makes no tracer with tracing off, and one that traces with it on, once per container', async () => {
    stub({ AWS_EXECUTION_ENV: LAMBDA, POWERTOOLS_TRACE_ENABLED: 'false' });
    expect(await lazyTracer('foghorn')()).toBeUndefined();

    stub({ AWS_EXECUTION_ENV: LAMBDA });
    const tracer = lazyTracer('foghorn');
    const made = await tracer();
    expect(made).toBeInstanceOf(Tracer);
    expect(made?.isTracingEnabled()).toBe(true);
    expect(await tracer()).toBe(made);
  });

  it("runs the handler inside the tracer's captureLambdaHandler once the tracer is loaded, and as it is without one", async () => {
    const seen: string[] = [];
    let decorated = 0;
    const tracer = {
      captureLambdaHandler: () => (_target: unknown, _key: unknown, descriptor: { value: (...args: unknown[]) => Promise<unknown> }) => {
        decorated++;
        const inner = descriptor.value;
        descriptor.value = async (...args) => {
          seen.push('open');
          try {
            return await inner(...args);
          } finally {
            seen.push('close');
          }
        };
      },
    } as unknown as Tracer;
    const handler = async (event: { n: number }, context: string) => {
      seen.push(`handler ${event.n} ${context}`);
      return event.n * 2;
    };
    const traced = traceLambdaHandler(handler, async () => tracer);
    expect(await traced({ n: 1 }, 'ctx')).toBe(2);
    expect(await traced({ n: 2 }, 'ctx')).toBe(4);
    expect(seen).toEqual(['open', 'handler 1 ctx', 'close', 'open', 'handler 2 ctx', 'close']);
    expect(decorated).toBe(1);

    seen.length = 0;
    expect(await traceLambdaHandler(handler, async () => undefined)({ n: 3 }, 'ctx')).toBe(6);
    expect(seen).toEqual(['handler 3 ctx']);
  });
});
