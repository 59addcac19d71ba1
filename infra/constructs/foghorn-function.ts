import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { buildSync } from 'esbuild';

/** The repository root: entries, the lockfile and the rules folder are resolved against it. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const SERVICE_NAME = 'foghorn';

/** Top-level names CommonJS code expects; minification renames any bundled module's own, so these cannot clash. */
const ESM_COMMONJS_SHIM = [
  "import { createRequire as __foghornCreateRequire } from 'node:module';",
  'const require = __foghornCreateRequire(import.meta.url);',
  'const __filename = import.meta.filename;',
  'const __dirname = import.meta.dirname;',
].join(' ');
export const METRICS_NAMESPACE = 'Foghorn';

/** A file or folder copied into the function's bundle. */
export interface BundledPath {
  /** Absolute path on the machine that synthesises. */
  from: string;
  /** Relative to the bundle root (`/var/task` on Lambda). */
  to: string;
}

export interface FoghornFunctionProps {
  /** The function's physical name (infra/stage-names.ts); its log group is `/aws/lambda/<name>`. CloudFormation's when absent. */
  functionName?: string;
  /** The deployment's stage: every metric the function emits carries it as a dimension (FOGHORN_STAGE). */
  stage?: string;
  /** Handler module relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  timeout: Duration;
  memorySize: number;
  environment?: Record<string, string>;
  /** Copied next to the bundled code after esbuild runs (the rule set, for example). */
  bundledPaths?: readonly BundledPath[];
  /**
   * npm packages kept out of index.mjs and shipped beside it as their own one-file module
   * (node_modules/<name>/index.mjs): large code the function imports only when it needs it (CLD3's
   * inline WebAssembly), so a cold start neither reads nor parses it until then.
   */
  modulesBeside?: readonly string[];
  logRetention?: RetentionDays;
  /** A customer-managed key for the log group; AWS-managed encryption without it. */
  encryptionKey?: IKey;
  /** The most instances that may run at once (reserved concurrency); none reserved when absent. */
  reservedConcurrentExecutions?: number;
  /** X-Ray active tracing (default true); `false` also sets POWERTOOLS_TRACE_ENABLED=false. */
  tracing?: boolean;
}

/**
 * The team's defaults for every Lambda function, so each function in the stack is one line:
 * Node.js 22 on arm64, one minified ESM file with source maps, the AWS SDK left to the runtime,
 * X-Ray tracing, its own log group with a retention, a role that can write only to that log group,
 * and the Powertools settings.
 */
export class FoghornFunction extends NodejsFunction {
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: FoghornFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      ...(props.functionName ? { logGroupName: `/aws/lambda/${props.functionName}` } : {}),
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
    });
    // Its own role instead of AWSLambdaBasicExecutionRole: logs go only to this function's log group.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the Foghorn ${id} function`,
    });
    logGroup.grantWrite(role);
    const modulesBeside = props.modulesBeside ?? [];
    const bundledPaths = [
      ...(props.bundledPaths ?? []),
      ...modulesBeside.map((name) => ({ from: bundleModule(name), to: join('node_modules', name) })),
    ];

    super(scope, id, {
      ...(props.functionName ? { functionName: props.functionName } : {}),
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      ...(props.reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      tracing: props.tracing === false ? Tracing.DISABLED : Tracing.ACTIVE,
      logGroup,
      role,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...(props.stage ? { FOGHORN_STAGE: props.stage } : {}),
        ...(props.tracing === false ? { POWERTOOLS_TRACE_ENABLED: 'false' } : {}),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        minify: true,
        // Error classes name themselves from their constructor; minified names would say nothing.
        keepNames: true,
        sourceMap: true,
        sourcesContent: false,
        // No mainFields: esbuild's Node default (main before module); some ESM builds break when bundled (cld3-asm's).
        externalModules: ['@aws-sdk/*', ...modulesBeside],
        // CommonJS dependencies bundled into ESM still call require() and read __dirname (cld3's WASM loader does).
        banner: ESM_COMMONJS_SHIM,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) =>
            bundledPaths.flatMap(({ from, to }) => [
              `mkdir -p "${dirname(join(outputDir, to))}"`,
              `cp -R "${inBundlingInput(inputDir, from)}" "${join(outputDir, to)}"`,
            ]),
        },
      },
    });
    this.logGroupName = logGroup.logGroupName;

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions, so active tracing needs Resource "*".',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Foghorn is built and tested for Node.js 22, the runtime the project targets; moving to a newer runtime is a deliberate, tested upgrade.',
    });
  }
}

/**
 * One npm package bundled and minified into a folder holding `index.mjs` and a package.json, so a
 * bare `import(name)` from the function's bundle resolves to it. Its CommonJS exports are re-exported
 * by name (read from the package at synth), as Node cannot see names through a bundled CommonJS module.
 * The folder is named by the content's hash under node_modules/.cache: every synth reuses it, and
 * Docker bundling (which sees only the repository) finds it too.
 */
function bundleModule(name: string): string {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  const names = Object.keys(require(name) as object).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
  const built = buildSync({
    stdin: { contents: `export { ${names.join(', ')} } from '${name}';`, resolveDir: REPO_ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    keepNames: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: ESM_COMMONJS_SHIM },
    write: false,
    outfile: 'index.mjs',
    logLevel: 'error',
  });
  const code = built.outputFiles[0]!.contents;
  const cache = join(REPO_ROOT, 'node_modules', '.cache', 'foghorn-modules');
  const dir = join(cache, createHash('sha256').update(code).digest('hex').slice(0, 16), name);
  if (!existsSync(join(dir, 'package.json'))) {
    // Written aside and renamed, so a synth running at the same time never copies half a file.
    mkdirSync(dirname(dir), { recursive: true });
    const staging = mkdtempSync(join(cache, 'staging-'));
    writeFileSync(join(staging, 'index.mjs'), code);
    writeFileSync(join(staging, 'package.json'), JSON.stringify({ name, type: 'module', main: 'index.mjs', exports: './index.mjs' }));
    try {
      renameSync(staging, dir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(dir, 'package.json'))) throw error;
    }
  }
  return dir;
}

/** Paths inside the repository are addressed through the bundler's input folder (the repository root). */
function inBundlingInput(inputDir: string, path: string): string {
  const inside = relative(REPO_ROOT, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : join(inputDir, inside);
}
