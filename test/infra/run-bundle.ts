import { execFile } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const INVOKER = `
const { handler } = await import('./index.mjs');
const context = {
  functionName: 'foghorn', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:foghorn',
  memoryLimitInMB: '512', awsRequestId: 'req-1', logGroupName: 'g', logStreamName: 's', getRemainingTimeInMillis: () => 30000,
};
const result = await handler(JSON.parse(process.env.FOGHORN_TEST_EVENT), context);
process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n');
`;

/**
 * The Lambda runtime provides the AWS SDK; the repository's copy plays that part. A bundle that ships
 * its own node_modules (modules loaded beside index.mjs) gets the SDK linked into it, so what it
 * ships is what it loads.
 */
export function provideAwsSdk(bundle: string): void {
  const modules = join(bundle, 'node_modules');
  if (!existsSync(modules)) symlinkSync(resolve('node_modules'), modules, 'dir');
  else if (!existsSync(join(modules, '@aws-sdk'))) symlinkSync(resolve('node_modules', '@aws-sdk'), join(modules, '@aws-sdk'), 'dir');
}

/**
 * Invokes a synthesised function's bundle in a fresh Node process with only the environment given,
 * as the Lambda runtime would (ESM, handler(event, context)). The repository's node_modules stands in
 * for the AWS SDK the runtime provides. Answers the handler's result and the ERROR lines it logged.
 */
export async function invokeBundle(
  bundle: string,
  event: unknown,
  env: Record<string, string>,
): Promise<{ result: unknown; errors: string[] }> {
  provideAwsSdk(bundle);
  writeFileSync(join(bundle, 'invoke.mjs'), INVOKER);
  const { stdout } = await promisify(execFile)(process.execPath, ['invoke.mjs'], {
    cwd: bundle,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
      ...env,
      FOGHORN_TEST_EVENT: JSON.stringify(event),
    },
    timeout: 60_000,
  });
  const lines = stdout.split('\n');
  const resultLine = lines.find((line) => line.startsWith('RESULT '));
  return {
    result: resultLine ? JSON.parse(resultLine.slice('RESULT '.length)) : undefined,
    errors: lines.filter((line) => line.includes('"level":"ERROR"')).map((line) => line.slice(0, 2000)),
  };
}
