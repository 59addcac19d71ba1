import type { Tracer } from '@aws-lambda-powertools/tracer';
import { once } from '../../core/provided.js';

/**
 * X-Ray tracing, loaded only where it traces: Powertools' Tracer brings the X-Ray SDK (with semver and
 * cls-hooked, about 125 KB minified), which a function with tracing off would parse at every cold start for
 * nothing. The stack ships the tracer beside the bundle and it is imported on the first invocation that traces.
 */

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether Powertools' Tracer would trace, decided as its setTracingEnabled decides without loading it:
 * not when POWERTOOLS_TRACE_ENABLED is false, nor outside Lambda (no AWS_EXECUTION_ENV), in the Amplify
 * mock or under SAM local.
 */
export function tracingWanted(env: Env = process.env): boolean {
  if ((env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() === 'false') return false;
  const executionEnv = env.AWS_EXECUTION_ENV ?? '';
  return executionEnv !== '' && executionEnv !== 'AWS_Lambda_amplify-mock' && (env.AWS_SAM_LOCAL ?? '') === '';
}

/** The tracer of this container, made on first call; undefined when tracing is off (nothing imported then). */
export function lazyTracer(serviceName: string, env: Env = process.env): () => Promise<Tracer | undefined> {
  return once(async () => (tracingWanted(env) ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName }) : undefined));
}

/**
 * The handler inside Powertools' captureLambdaHandler (the Tracer's own decorator, applied to the function: its
 * middy middleware is a subpath of the package, which shipping the package beside the bundle leaves out), with
 * the tracer imported on the first invocation; the handler as it is when tracing is off.
 */
export function traceLambdaHandler<Args extends unknown[], Result>(
  handler: (...args: Args) => Promise<Result>,
  tracer: () => Promise<Pick<Tracer, 'captureLambdaHandler'> | undefined>,
): (...args: Args) => Promise<Result> {
  const traced = once(async () => {
    const loaded = await tracer();
    if (loaded === undefined) return handler;
    const descriptor = { value: handler };
    loaded.captureLambdaHandler()(undefined as never, 'handler', descriptor as never);
    return descriptor.value;
  });
  return async (...args) => (await traced())(...args);
}
