import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { CliIo } from '../../../cli/io.js';
import { main } from '../../../cli/main.js';
import { settingsFrom } from '../../../functions/core/settings.js';
import { type Runtime, startRuntime } from '../../../functions/entries/local/runtime.js';
import { postGeneric, TEST_GENERIC_SECRET } from '../../support/runtime-process.js';

/** Where the console tests leave a screenshot of every page (gitignored). */
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'console');

const CHROMIUM = process.env.FOGHORN_CHROMIUM ?? '/usr/bin/chromium';

export interface ConsoleHarness {
  runtime: Runtime;
  root: string;
  rulesDir: string;
  browser: Browser;
  context: BrowserContext;
  /** Signed in as the admin of the one-time link (not signed in when the config has console users). */
  page: Page;
  /** The one-time sign-in link the runtime logged at start (none when the config has console users). */
  signInLink: string | undefined;
  /** What the runtime logged, one entry a line. */
  log: string[];
  /** What the pages reported: Content-Security-Policy refusals, script errors, failed requests. */
  problems: string[];
  post(event: Record<string, unknown>): Promise<Response>;
  screenshot(page: Page, name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real local runtime (sandboxed) on a temporary data and rules folder, and one Chromium for the test file,
 * signed in through the one-time admin link the runtime logs at start.
 */
export async function startConsole(
  rules: Record<string, string>,
  config = 'timezone: UTC\n',
  /** `live`: targets with their settings in `env` call their (loopback) servers instead of being recorded. */
  options: { env?: Record<string, string>; live?: boolean } = {},
): Promise<ConsoleHarness> {
  // With console.users configured there is no link: the page starts signed out (sign in with signInAs).
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium), or set FOGHORN_CHROMIUM to a Chromium binary`,
    );
  }
  const root = mkdtempSync(join(tmpdir(), 'foghorn-console-'));
  const rulesDir = join(root, 'rules');
  mkdirSync(rulesDir);
  writeFileSync(join(root, 'foghorn.config.yaml'), config);
  for (const [name, text] of Object.entries(rules)) writeFileSync(join(rulesDir, name), text);
  const lines: string[] = [];
  const log = (level: string) => (message: string, detail?: Record<string, unknown>) => {
    lines.push(`${level} ${message}${detail ? ` ${JSON.stringify(detail)}` : ''}`);
  };
  const runtime = await startRuntime({
    port: 0,
    dataDir: join(root, 'data'),
    rulesDir,
    settings: settingsFrom({
      FOGHORN_GENERIC_SECRET: TEST_GENERIC_SECRET,
      FOGHORN_CONFIG: join(root, 'foghorn.config.yaml'),
      ...options.env,
    }),
    forceSandbox: !options.live,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  const problems: string[] = [];
  context.on('page', (page) => watch(page, problems));
  const page = await context.newPage();
  const link = lines.join('\n').match(/http:\/\/[^\s]+\/login\?token=[A-Za-z0-9_-]+/)?.[0];
  if (!link && !/^console:\s*$/m.test(config)) throw new Error(`the runtime logged no sign-in link:\n${lines.join('\n')}`);
  if (link) {
    await page.goto(link);
    await page.waitForURL(/\/feed$/);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    runtime,
    root,
    rulesDir,
    browser,
    context,
    page,
    signInLink: link,
    log: lines,
    problems,
    post: (event) => postGeneric(runtime.url, event),
    screenshot: async (target, name) => {
      await target.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    stop: async () => {
      await browser.close();
      await runtime.stop();
    },
  };
}

function watch(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' && !/the server responded with a status of 40[14]/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}

/** A generic event as a platform would post it (signed by the harness). */
export function genericEvent(id: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, kind: 'message', text, author: { id: `author-${id}`, name: 'Sara' }, channel: { id: 'web' }, ...extra };
}

/** Signs `page` in through the /login form, and waits for the Feed. */
export async function signInAs(page: Page, url: string, name: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/feed$/);
}

/** The console.users entry `foghorn users add NAME --role ROLE` prints for a password piped to it. */
export async function userEntry(name: string, role: string, password: string): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    cwd: process.cwd(),
    stdin: Readable.from([`${password}\n`]),
  };
  const code = await main(['users', 'add', name, '--role', role], io);
  if (code !== 0 || out.length !== 1) throw new Error(`foghorn users add ${name} exited ${code}:\n${err.join('\n')}`);
  return out[0]!;
}
