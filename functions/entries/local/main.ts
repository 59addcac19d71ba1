import type { AppLogger } from '../../app/adapters.js';
import { appLoggerOf, logLevelFrom, powertoolsLogger } from '../../app/logger.js';
import { settingsFrom } from '../../core/settings.js';
import { loadDotEnv } from '../../local/dotenv.js';
import { startRuntime } from './runtime.js';
import { DEFAULT_DATA_DIR, DEFAULT_PORT, DEFAULT_RULES_DIR, DEVELOPMENT_GENERIC_SECRET, storeChoiceFrom } from './runtime-settings.js';

/** `npm start`: Foghorn on this machine, configured by the environment and `.env`. */
async function main(): Promise<void> {
  // The DynamoDB client (FOGHORN_STORE=dynamodb) warns on Node 20 about SDK releases from 2027; Node 20 is supported here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  loadDotEnv('.env');
  const env = { ...process.env };
  const logger = localLogger(env);
  if (!env.FOGHORN_GENERIC_SECRET) {
    env.FOGHORN_GENERIC_SECRET = DEVELOPMENT_GENERIC_SECRET;
    logger.warn(`FOGHORN_GENERIC_SECRET is not set: using the development secret '${DEVELOPMENT_GENERIC_SECRET}' (local use only)`);
  }
  const port = parsePort(env.FOGHORN_PORT);
  const store = storeChoiceFrom(env);
  const runtime = await startRuntime({
    port,
    dataDir: env.FOGHORN_DATA ?? DEFAULT_DATA_DIR,
    rulesDir: env.FOGHORN_RULES ?? DEFAULT_RULES_DIR,
    store,
    settings: settingsFrom(env),
    forceSandbox: env.FOGHORN_SANDBOX === 'true',
    ...(env.FOGHORN_ACTION_LEASE_MS ? { actionLeaseMs: Number(env.FOGHORN_ACTION_LEASE_MS) } : {}),
    logger,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`FOGHORN_PORT must be a port number (0-65535), got '${raw}'`);
  return port;
}

/** JSON lines as on AWS (app/logger.ts), and the lines for the person at the terminal printed as they are. */
function localLogger(env: Readonly<Record<string, string | undefined>>): AppLogger {
  return {
    ...appLoggerOf(powertoolsLogger(logLevelFrom(env), env.POWERTOOLS_SERVICE_NAME)),
    announce: (text) => void process.stdout.write(`${text}\n`),
  };
}

main().catch((error: unknown) => {
  // For the person who ran it, on a line of its own: the logger may be what failed (FOGHORN_LOG_LEVEL).
  process.stderr.write(`foghorn could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
