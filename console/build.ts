import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One file of the built console: its bytes and its media type. */
export interface ConsoleFile {
  body: Buffer;
  type: string;
}

const SOURCE = sourceFolder(dirname(fileURLToPath(import.meta.url)));

/**
 * console/src, found from where this module runs: beside it (console/build.ts run as it is), or up from the
 * precompiled runtime that `npm start` runs from node_modules/.cache/foghorn/.
 */
function sourceFolder(here: string): string {
  if (existsSync(join(here, 'src', 'main.tsx'))) return join(here, 'src');
  for (let dir = here; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'console', 'src', 'main.tsx'))) return join(dir, 'console', 'src');
  }
  throw new Error(`the console's sources (console/src/main.tsx) were not found from ${here}`);
}

/** The console's page paths: each answers index.html, and the page is chosen in the browser. */
export const CONSOLE_PAGES = /^\/(feed|conversation(\/[^/]+)?|approvals|crisis|rules|analytics|audit|dead-letters|posts|login)\/?$/;

/**
 * The policy every page is served with, locally and behind CloudFront: no inline script or style, nothing from another
 * origin, so the page runs only the bundle it came with and talks only to its own API. Inline `style` attributes are
 * refused too; uPlot and Preact set styles through the CSSOM, which the policy allows.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The page every console path answers with; the script and the styles are files of their own, so the CSP needs no 'unsafe-inline'. */
function indexHtml(script: string, styles: string): string {
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Foghorn</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/${styles}">
<script type="module" src="/${script}"></script>
</head>
<body>
<div id="app"><p class="loading">Loading Foghorn…</p></div>
<noscript>The Foghorn console needs JavaScript.</noscript>
</body>
</html>
`;
}

/**
 * The ops console as files in memory: `index.html`, and the script and styles under `assets/` with a content hash in
 * their names (so they can be cached for good). Bundled and minified by esbuild from console/src with Preact's JSX,
 * everything included (no CDN): the local runtime serves it from memory, the CDK stack deploys the same files.
 */
export async function buildConsole(): Promise<Map<string, ConsoleFile>> {
  const result = await build({
    entryPoints: [join(SOURCE, 'main.tsx')],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: 'assets',
    entryNames: 'console-[hash]',
    assetNames: 'console-[hash]',
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const files = new Map<string, ConsoleFile>();
  let script: string | undefined;
  let styles: string | undefined;
  for (const output of result.outputFiles) {
    const name = `assets/${output.path.split(/[\\/]/).pop()}`;
    const body = Buffer.from(output.contents);
    if (name.endsWith('.js')) {
      script = name;
      files.set(name, { body, type: 'text/javascript; charset=utf-8' });
    } else if (name.endsWith('.css')) {
      styles = name;
      files.set(name, { body, type: 'text/css; charset=utf-8' });
    }
  }
  if (!script || !styles) throw new Error(`buildConsole: esbuild produced no ${script ? 'stylesheet' : 'script'} from ${SOURCE}`);
  files.set('index.html', { body: Buffer.from(indexHtml(script, styles)), type: 'text/html; charset=utf-8' });
  return files;
}
