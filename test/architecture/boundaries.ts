// The boundary check: dependency-cruiser's layer rules (.dependency-cruiser.cjs) plus two checks it cannot express,
// computed here from its cruise result: the folder-level import graph has no loop, and every module under functions/
// sits in a folder of the layout (a folder the rules do not name would escape them).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cruise, type ICruiseResult, type IModule } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');

/** The folders of functions/ in the layout; infra/ and cli/ are folders of their own. */
export const LAYOUT_FOLDERS = [
  'core',
  'text',
  'matcher',
  'platforms',
  'rules',
  'escalation',
  'crisis',
  'auth',
  'analytics',
  'listening',
  'posts',
  'assignment',
  'storage',
  'aws',
  'local',
  'app',
  'entries',
] as const;

const CRUISED = ['functions', 'infra', 'cli'];

export interface Violation {
  rule: string;
  from: string;
  to: string;
  /** For a loop: the folders around it, then one import that makes each step. */
  via?: string[];
}

/** functions/<folder>, infra or cli for a module of the tree; undefined for packages and Node's own modules. */
export function folderOf(path: string): string | undefined {
  const inFunctions = /^functions\/([^/]+)\//.exec(path);
  if (inFunctions) return `functions/${inFunctions[1]}`;
  if (path.startsWith('functions/')) return 'functions';
  if (path.startsWith('infra/')) return 'infra';
  if (path.startsWith('cli/')) return 'cli';
  return undefined;
}

/** Runs every boundary check over the functions/, infra/ and cli/ of `root` (the repository, or a fixture tree). */
export async function checkBoundaries(root: string = REPO_ROOT): Promise<Violation[]> {
  const result = await cruiseTree(root);
  return [...ruleViolations(result), ...layoutViolations(result.modules), ...folderLoops(result.modules)].sort(byFields);
}

async function cruiseTree(root: string): Promise<ICruiseResult> {
  const ruleSet = await extractDepcruiseConfig(CONFIG);
  const { options = {}, ...rules } = ruleSet;
  const tsConfigFile = join(root, 'tsconfig.json');
  const { output } = await cruise(
    CRUISED.filter((folder) => existsSync(join(root, folder))),
    {
      ...options,
      ruleSet: rules,
      validate: true,
      baseDir: root,
      tsConfig: existsSync(tsConfigFile) ? { fileName: tsConfigFile } : undefined,
    },
    {},
    existsSync(tsConfigFile) ? { tsConfig: extractTSConfig(tsConfigFile) } : {},
  );
  if (typeof output === 'string') throw new Error(`boundaries: dependency-cruiser answered text, not a result: ${output.slice(0, 200)}`);
  return output;
}

function ruleViolations(result: ICruiseResult): Violation[] {
  return result.summary.violations.map((violation) => ({
    rule: violation.rule.name,
    from: violation.from,
    to: violation.to,
    ...(violation.cycle ? { via: violation.cycle.map((step) => step.name) } : {}),
  }));
}

function layoutViolations(modules: IModule[]): Violation[] {
  const known = new Set<string>(LAYOUT_FOLDERS.map((folder) => `functions/${folder}`));
  return modules
    .filter((module) => module.source.startsWith('functions/') && !known.has(folderOf(module.source) ?? ''))
    .map((module) => ({ rule: 'folder-in-layout', from: module.source, to: folderOf(module.source) ?? module.source }));
}

/** One import from `from` to `to`, for each pair of folders with at least one import between them. */
function folderGraph(modules: IModule[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const module of modules) {
    const from = folderOf(module.source);
    if (from === undefined) continue;
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (to === undefined || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${module.source} → ${dependency.resolved}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Each strongly connected set of folders, reported once as its shortest loop through its first folder. */
function folderLoops(modules: IModule[]): Violation[] {
  const graph = folderGraph(modules);
  return stronglyConnected(graph)
    .filter((component) => component.length > 1)
    .map((component) => {
      const start = [...component].sort()[0]!;
      const loop = shortestLoop(graph, start, new Set(component));
      const steps = loop.slice(1).map((to, index) => graph.get(loop[index]!)!.get(to)!);
      const tangle = component.length > loop.length - 1 ? ` (the tangle: ${component.join(', ')})` : '';
      return { rule: 'no-folder-loop', from: start, to: loop[1]!, via: [`${loop.join(' → ')}${tangle}`, ...steps] };
    });
}

function stronglyConnected(graph: Map<string, Map<string, string>>): string[][] {
  const nodes = [...new Set([...graph.keys(), ...[...graph.values()].flatMap((edges) => [...edges.keys()])])].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    components.push(component.sort());
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return components;
}

/** Breadth-first from `start` back to itself inside one component: [start, …, start]. */
function shortestLoop(graph: Map<string, Map<string, string>>, start: string, within: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!within.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(next) && next !== start) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  throw new Error(`boundaries: no loop through ${start}, though it is in a strongly connected component`);
}

function byFields(a: Violation, b: Violation): number {
  return a.rule.localeCompare(b.rule) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to);
}

/** The violations as lines, grouped by rule, for a person. */
export function describeViolations(violations: Violation[]): string {
  const lines: string[] = [];
  for (const rule of [...new Set(violations.map((violation) => violation.rule))]) {
    const ofRule = violations.filter((violation) => violation.rule === rule);
    lines.push(`${rule} (${ofRule.length})`);
    for (const violation of ofRule) {
      lines.push(rule === 'no-folder-loop' ? `  ${violation.via?.[0]}` : `  ${violation.from} → ${violation.to}`);
      for (const step of (rule === 'no-folder-loop' ? violation.via?.slice(1) : violation.via) ?? []) lines.push(`      ${step}`);
    }
  }
  return lines.join('\n');
}
