import type { Adapters, AppLogger } from '../../app/adapters.js';
import type { CanonicalEvent } from '../../core/event.js';
import type { ActionRecord } from '../../core/ports.js';
import { type ConsoleSources, DecisionCache } from './console-api.js';
import { consoleFileRoute, consoleFiles } from './console-files.js';
import { eventStream, type Listing, type StreamTiming } from './console-stream.js';
import type { LocalHttpServer } from './http-server.js';

export interface ConsoleRuntime {
  listings: { events: Listing<CanonicalEvent>; actions: Listing<ActionRecord> };
  adapters: Pick<Adapters, 'events' | 'decisions' | 'ruleState' | 'crisisStores'>;
  rules: ConsoleSources['rules'];
  now(): Date;
  logger: AppLogger;
  stream?: StreamTiming;
}

/** The console's read routes, described in the runtime's OpenAPI document by the module that serves them. */
const OPERATIONS: Record<string, { summary: string; type?: string; parameters?: Array<Record<string, unknown>>; also?: number[] }> = {
  'GET /api/stream': {
    summary: 'The live feed as Server-Sent Events: `event`, `action` and `decision` messages, `id:` the listing cursor',
    type: 'text/event-stream',
    parameters: [
      { name: 'since', in: 'query', required: false, description: 'Resume from this cursor (an ISO time)', schema: { type: 'string' } },
    ],
  },
};

/**
 * The ops console on the local runtime: its files and pages (built once, served from memory), the live stream and
 * the read routes its pages need beyond the API (`/api/decisions`, `/api/spikes`, `/api/rules` and `/api/conversations/{id}` are the API's own, on both runtimes). `openApi` is the runtime's document: the routes added here are
 * described in it.
 */
export function serveConsole(server: LocalHttpServer, openApi: Record<string, unknown>, runtime: ConsoleRuntime): void {
  const { adapters, listings, logger } = runtime;
  const decisions = new DecisionCache(adapters.decisions);
  server.add(
    'GET',
    '/api/stream',
    eventStream(
      {
        events: listings.events,
        actions: listings.actions,
        decision: (eventId) => decisions.get(eventId),
        now: runtime.now,
        onError: (error) => logger.error('console stream', { error }),
      },
      runtime.stream,
    ),
  );
  server.otherwise(consoleFileRoute((error) => logger.error('the console could not be built', { error })));
  describe(openApi);
  // Built now, not on the first page load; a failure is reported when a page is asked for.
  consoleFiles().catch(() => {});
}

function describe(openApi: Record<string, unknown>): void {
  const paths = (openApi.paths ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, operation] of Object.entries(OPERATIONS)) {
    const [method, path] = key.split(' ') as [string, string];
    const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: operation.summary,
      'x-foghorn-aws': 'local runtime only',
      parameters: [...pathParameters, ...(operation.parameters ?? [])],
      responses: {
        200: {
          description: 'OK',
          content: { [operation.type ?? 'application/json']: { schema: operation.type ? { type: 'string' } : { type: 'object' } } },
        },
        400: {
          description: 'A parameter is not valid',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        ...Object.fromEntries(
          (operation.also ?? []).map((status) => [
            status,
            { description: String(status), content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          ]),
        ),
      },
    };
  }
  openApi.paths = paths;
}
