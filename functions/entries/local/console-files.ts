import { gzipSync } from 'node:zlib';
import { buildConsole, CONSOLE_CSP, CONSOLE_PAGES, type ConsoleFile } from '../../../console/build.js';
import type { LocalAnswer, LocalRequest } from './http-server.js';

const ASSET = /^\/(assets\/[A-Za-z0-9_.-]+)$/;

const PAGE_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // A link to a post must not tell the platform where the console lives.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

interface ServedFile extends ConsoleFile {
  gzipped: Buffer;
}

let built: Promise<Map<string, ServedFile>> | undefined;

/** The console, built once per process (several runtimes in one test process share it). */
export function consoleFiles(): Promise<Map<string, ServedFile>> {
  built ??= buildConsole().then(
    (files) => new Map([...files].map(([name, file]) => [name, { ...file, gzipped: gzipSync(file.body, { level: 9 }) }])),
  );
  return built;
}

/**
 * Answers the GET requests no API route took: `/` goes to the Feed, each page path gets index.html (no-cache, so a
 * new build is picked up), the hashed assets are cached for good, and anything else is the usual JSON 404 under
 * /api/ and /webhooks/, or index.html with a 404 status elsewhere (the console says there is no such page).
 */
export function consoleFileRoute(onBuildError: (error: unknown) => void): (request: LocalRequest) => Promise<LocalAnswer> {
  let reported = false;
  return async ({ path, headers }) => {
    if (path.startsWith('/api/') || path === '/api' || path.startsWith('/webhooks')) {
      return { status: 404, body: { error: `no route for ${path}`, detail: null } };
    }
    if (path === '/') return { status: 302, headers: { location: '/feed', 'cache-control': 'no-cache' }, body: '' };
    let files: Map<string, ServedFile>;
    try {
      files = await consoleFiles();
    } catch (error) {
      if (!reported) onBuildError(error);
      reported = true;
      return { status: 503, body: `The console could not be built: ${error instanceof Error ? error.message : String(error)}` };
    }
    const gzip = /\bgzip\b/.test(String(headers['accept-encoding'] ?? ''));
    const asset = ASSET.exec(path)?.[1];
    if (asset !== undefined) {
      const file = files.get(asset);
      if (!file) return { status: 404, body: { error: `no console file ${path}`, detail: null } };
      return fileAnswer(200, file, gzip, { 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
    }
    const index = files.get('index.html');
    if (!index) return { status: 503, body: 'The console build has no index.html' };
    return fileAnswer(CONSOLE_PAGES.test(path) ? 200 : 404, index, gzip, { 'cache-control': 'no-cache', ...PAGE_HEADERS });
  };
}

function fileAnswer(status: number, file: ServedFile, gzip: boolean, headers: Record<string, string>): LocalAnswer {
  return {
    status,
    headers: { 'content-type': file.type, vary: 'accept-encoding', ...headers, ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body: gzip ? file.gzipped : file.body,
  };
}
