/**
 * The evaluate function as Lambda would run it: bundled and minified with the options of
 * infra/constructs/foghorn-function.ts, then loaded in a fresh Node process that times the module
 * load and the loading of the 1,000-rule set compiled at synth (with the matcher's saved index), in
 * five fresh processes one after the other.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { ruleLanguage } from '../functions/app/rule-language.js';
import { toCompiledRuleSetFile } from '../functions/rules/compiled-rule-set.js';
import { compileRuleObjects, resolveConfig } from '../functions/rules/index.js';
import { copyFilesBeside, EVALUATE_FILES_BESIDE, EVALUATE_MODULES_BESIDE, lambdaBundling } from './lambda-bundling.js';
import { makeRules } from './workload.js';

export interface BundleFigures {
  entry: string;
  /** Minified size of the evaluate handler bundle (AWS SDK external, as deployed). */
  bytes: number;
  ruleCount: number;
  /** Fresh process: importing the bundle (cold module load). */
  moduleLoadMs: number;
  /** Fresh process: the handler's rule loading (read the rule set validated at synth, compile, index). */
  ruleLoadMs: number;
  /** The same two steps in CPU time of the child process (less sensitive to other load). */
  moduleLoadCpuMs: number;
  ruleLoadCpuMs: number;
  /** Module load plus rule load, wall clock (the median of the runs' sums). */
  loadAndRulesMs: number;
  /** Spawn to exit of the child process, including Node's own start. */
  processWallMs: number;
  /** Each fresh process's figures; the ones above are their medians. */
  coldStarts: ReadonlyArray<{
    moduleLoadMs: number;
    ruleLoadMs: number;
    moduleLoadCpuMs: number;
    ruleLoadCpuMs: number;
    processWallMs: number;
  }>;
  /** Largest contributors to the bundle, KB of minified output. */
  largestKb: Record<string, number>;
  /** Packages shipped beside the bundle and imported only on first need (not in `bytes`). */
  besideKb: Record<string, number>;
  /** Data files shipped beside the bundle and read only on first need (not in `bytes`): the lexicon's word lists. */
  filesBesideKb: Record<string, number>;
  /** Fresh process, after the rules: reading the lexicon's word lists from beside the bundle (the first short post). */
  lexiconReadMs: number;
  lexiconReadCpuMs: number;
}

const REPO = resolve(import.meta.dirname, '..');
const HANDLER = 'functions/entries/lambda/evaluate.ts';
// Inside the repository so the bundle's external imports (@aws-sdk/*) resolve from node_modules.
const WORK_DIR = join(REPO, 'node_modules', '.cache', 'foghorn-bench');

const MODULES_BESIDE = EVALUATE_MODULES_BESIDE;
const LAMBDA_BUNDLING: BuildOptions = lambdaBundling(MODULES_BESIDE);

const CHILD = `
const cpu = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
const started = performance.now(), startedCpu = cpu();
const entry = await import(process.argv[2]);
const loaded = performance.now(), loadedCpu = cpu();
const { ruleSet } = await entry.loadDeployedRules(process.argv[3]);
const ready = performance.now(), readyCpu = cpu();
entry.loadLexicon();
const read = performance.now(), readCpu = cpu();
process.stdout.write(JSON.stringify({
  moduleLoadMs: loaded - started, ruleLoadMs: ready - loaded,
  moduleLoadCpuMs: loadedCpu - startedCpu, ruleLoadCpuMs: readyCpu - loadedCpu, rules: ruleSet.ruleIds.length,
  lexiconReadMs: read - ready, lexiconReadCpuMs: readCpu - readyCpu,
}));
`;

export async function measureBundle(
  keywords: readonly string[],
  random: () => number,
  { ruleCount = 1_000, coldStarts = 5 }: { ruleCount?: number; coldStarts?: number } = {},
): Promise<BundleFigures> {
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(join(WORK_DIR, 'rules'), { recursive: true });
  if (!existsSync(join(REPO, HANDLER))) throw new Error(`${HANDLER} not found: nothing to bundle`);
  const handler = await build({
    ...LAMBDA_BUNDLING,
    entryPoints: [join(REPO, HANDLER)],
    write: false,
    metafile: true,
    outfile: join(WORK_DIR, 'handler.mjs'),
  });
  const bytes = handler.outputFiles.reduce((sum, file) => sum + (file.path.endsWith('.mjs') ? file.contents.byteLength : 0), 0);
  const largestKb = largestInputs(handler.metafile);
  await build({ ...LAMBDA_BUNDLING, entryPoints: [join(REPO, 'bench', 'cold-start-entry.ts')], outfile: join(WORK_DIR, 'entry.mjs') });
  copyFilesBeside(WORK_DIR);
  const filesBesideKb = Object.fromEntries(EVALUATE_FILES_BESIDE.map(({ from, to }) => [to, Math.round(bytesOf(from) / 1024)] as const));

  // What infra/rules-for-deployment.ts writes at synth, from the rules validated with the repository's config.
  const compiled = compileRuleObjects(
    makeRules(ruleCount, keywords, random),
    resolveConfig(join(WORK_DIR, 'rules'), { extensions: ruleLanguage }),
    { extensions: ruleLanguage },
  );
  writeFileSync(join(WORK_DIR, 'rules.compiled.json'), JSON.stringify(toCompiledRuleSetFile(compiled)));
  writeFileSync(join(WORK_DIR, 'child.mjs'), CHILD);
  const besideKb = Object.fromEntries(
    await Promise.all(
      MODULES_BESIDE.map(async (name) => {
        const beside = await build({
          ...LAMBDA_BUNDLING,
          external: [],
          stdin: { contents: `export * from '${name}';`, resolveDir: REPO, loader: 'js' },
          write: false,
          outfile: join(WORK_DIR, `${name}.mjs`),
        });
        return [name, Math.round(beside.outputFiles[0]!.contents.byteLength / 1024)] as const;
      }),
    ),
  );

  // Fresh processes, one after the other: the median of each figure, as a single cold start on a shared machine says little.
  const runs: ColdStart[] = [];
  for (let run = 0; run < coldStarts; run++) runs.push(await coldStart(ruleCount));
  const median = (pick: (run: ColdStart) => number) => {
    const sorted = runs.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  return {
    entry: HANDLER,
    bytes,
    ruleCount,
    moduleLoadMs: median((run) => run.moduleLoadMs),
    ruleLoadMs: median((run) => run.ruleLoadMs),
    moduleLoadCpuMs: median((run) => run.moduleLoadCpuMs),
    ruleLoadCpuMs: median((run) => run.ruleLoadCpuMs),
    loadAndRulesMs: median((run) => run.moduleLoadMs + run.ruleLoadMs),
    processWallMs: median((run) => run.processWallMs),
    coldStarts: runs,
    largestKb,
    besideKb,
    filesBesideKb,
    lexiconReadMs: median((run) => run.lexiconReadMs),
    lexiconReadCpuMs: median((run) => run.lexiconReadCpuMs),
  };
}

interface ColdStart {
  moduleLoadMs: number;
  ruleLoadMs: number;
  moduleLoadCpuMs: number;
  ruleLoadCpuMs: number;
  lexiconReadMs: number;
  lexiconReadCpuMs: number;
  processWallMs: number;
}

async function coldStart(ruleCount: number): Promise<ColdStart> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(WORK_DIR, 'child.mjs'), join(WORK_DIR, 'entry.mjs'), join(WORK_DIR, 'rules.compiled.json')],
    {
      cwd: WORK_DIR,
      env: { PATH: process.env.PATH ?? '', POWERTOOLS_DEV: 'false', AWS_REGION: 'eu-west-1' },
    },
  );
  const processWallMs = performance.now() - started;
  const child = JSON.parse(stdout) as Omit<ColdStart, 'processWallMs'> & { rules: number };
  if (child.rules !== ruleCount) throw new Error(`the cold-start child loaded ${child.rules} rules, expected ${ruleCount}`);
  const { rules: _rules, ...times } = child;
  return { ...times, processWallMs };
}

/** Bytes of a file, or of the files in a folder and its subfolders (what is shipped beside is either). */
function bytesOf(path: string): number {
  if (statSync(path).isFile()) return statSync(path).size;
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .map((name) => statSync(join(path, name)))
    .reduce((sum, stat) => sum + (stat.isFile() ? stat.size : 0), 0);
}

/** Minified bytes per package (or per folder of ours), the largest first. */
function largestInputs(metafile: Metafile, top = 8): Record<string, number> {
  const output = Object.values(metafile.outputs).find((entry) => entry.entryPoint !== undefined);
  const sizes = new Map<string, number>();
  for (const [file, input] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split('/').slice(-3, -1).join('/');
    sizes.set(pkg, (sizes.get(pkg) ?? 0) + input.bytesInOutput);
  }
  return Object.fromEntries(
    [...sizes]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, size]) => [name, Math.round(size / 1024)]),
  );
}
