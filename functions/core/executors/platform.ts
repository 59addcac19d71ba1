import type { ActionExecutor } from '../act.js';
import { commandPlatform } from '../action-command.js';
import type { Connector, ConnectorContext } from '../connector.js';
import { AmbiguousActionError, PermanentActionError } from '../errors.js';
import type { HttpSender, OutboundRequest } from '../http.js';
import type { Clock } from '../ports.js';
import type { Settings } from '../settings.js';
import { missingSettings } from '../settings.js';

export interface PlatformExecutorOptions {
  connectorFor(platform: string): Connector | undefined;
  settings: Settings;
  live: HttpSender;
  sandbox: HttpSender;
  /** Removes secrets from a request before it is recorded. */
  redact(request: OutboundRequest): OutboundRequest;
  /** Sandbox everything, whatever credentials are configured. */
  forceSandbox: boolean;
  clock: Clock;
}

/** A command's call, ready to send: its connector, whether it goes out for real, and the request. */
export interface PreparedPlatformCall {
  connector: Connector;
  live: boolean;
  context: ConnectorContext;
  request: OutboundRequest;
  /** The request as recorded: secrets redacted. */
  recorded: OutboundRequest;
}

/**
 * `reply` and `post`: the connector of the platform builds the request; it is sent live where the
 * platform's credentials are configured and recorded in sandbox mode otherwise.
 */
export function platformExecutor(options: PlatformExecutorOptions): ActionExecutor {
  return async (command) => {
    const { connector, live, context, request, recorded } = await preparePlatformCall(options, command);
    if (!live) {
      await options.sandbox.send(recorded);
      return { status: 'succeeded', mode: 'sandbox', request: recorded };
    }
    let response: Awaited<ReturnType<HttpSender['send']>>;
    try {
      response = await options.live.send(request);
    } catch (error) {
      // The record of an ambiguous call shows what may have been sent.
      if (error instanceof AmbiguousActionError) throw new AmbiguousActionError(error.message, { detail: error.detail, request: recorded });
      throw error;
    }
    const delivered = connector.interpretResponse(response, command, context);
    return { status: 'succeeded', mode: 'live', request: recorded, ...(delivered.externalId ? { externalId: delivered.externalId } : {}) };
  };
}

/** Whether a command for `connector` is sent for real: not in sandbox mode, and the platform's credentials are all set. */
export function sendsLive(options: Pick<PlatformExecutorOptions, 'forceSandbox' | 'settings'>, connector: Connector): boolean {
  return !options.forceSandbox && missingSettings(options.settings, connector.outboundSettings).length === 0;
}

/** Finds the connector, decides live or sandbox, fetches short-lived credentials when live, and builds the request. */
export async function preparePlatformCall(
  options: PlatformExecutorOptions,
  command: Parameters<ActionExecutor>[0],
): Promise<PreparedPlatformCall> {
  const platform = commandPlatform(command);
  const connector = options.connectorFor(platform);
  if (!connector) throw new PermanentActionError(`no connector for platform '${platform}'`);
  if (!connector.actionTypes.includes(command.type)) {
    throw new PermanentActionError(`platform '${platform}' cannot ${command.type} (it can: ${connector.actionTypes.join(', ')})`);
  }
  const live = sendsLive(options, connector);
  const base = { settings: options.settings, now: options.clock.now() };
  // Short-lived credentials (Reddit's access token) are fetched only when the request will really be sent.
  const context =
    live && connector.authorize
      ? { ...base, settings: await connector.authorize({ ...base, send: (request) => options.live.send(request) }) }
      : base;
  const request = connector.buildRequest(command, context);
  return { connector, live, context, request, recorded: options.redact(request) };
}
