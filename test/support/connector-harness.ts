import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type fc from 'fast-check';
import { type ActionCommand, actionCommandId } from '../../functions/core/action-command.js';
import type { Connector, ConnectorContext } from '../../functions/core/connector.js';
import { type CanonicalEvent, isRepublished } from '../../functions/core/event.js';
import type { InboundRequest, OutboundRequest, OutboundResponse } from '../../functions/core/http.js';
import { handleWebhook, type IngestDependencies } from '../../functions/core/ingest.js';
import { settingsFrom } from '../../functions/core/settings.js';
import { connectorFor, connectors } from '../../functions/platforms/index.js';
import { DynamoEventStore } from '../../functions/storage/dynamo/event-store.js';
import { type Json, type JsonMutation, jsonMutations, type ReadDelivery } from './mutate-json.js';

/** A fixture's exact bytes (signatures are computed over them). */
export function fixtureBytes(url: URL): Buffer {
  return readFileSync(url);
}

export function hmacHex(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function hmacBase64(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** An inbound webhook as the ingest hands it to a connector. */
export function inbound(
  platform: string,
  options: { body?: Buffer | string; headers?: Record<string, string>; query?: Record<string, string>; method?: string } = {},
): InboundRequest {
  return {
    method: options.method ?? 'POST',
    platform,
    headers: options.headers ?? {},
    query: options.query ?? {},
    rawBody: Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body ?? '', 'utf8'),
    receivedAt: new Date('2026-11-22T10:01:00.000Z'),
  };
}

export function contextWith(values: Record<string, string>, now = new Date('2026-11-22T10:01:00.000Z')): ConnectorContext {
  return { settings: settingsFrom(values), now };
}

/** The command a rule would produce for `event`. */
export function commandFor(
  event: CanonicalEvent,
  type: string,
  params: Record<string, unknown> = { text: 'Thanks for writing!' },
): ActionCommand {
  return {
    id: actionCommandId(event.id, 'test-rule', 0),
    eventId: event.id,
    ruleId: 'test-rule',
    index: 0,
    type,
    params,
    event,
    createdAt: '2026-11-22T10:01:01.000Z',
  };
}

/** Sends a built request for real (what live mode does) and returns the answer as the connector reads it. */
export async function sendOver(request: OutboundRequest): Promise<OutboundResponse> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}

/**
 * The real ingest over dynalite, with a bus that remembers what it was given: first publications in
 * `published`, the events a redelivery published again (marked for evaluation to read their decision) in `republished`.
 */
export function ingestThrough(table: { client: DynamoDBClient; tableName: string }, settings: Record<string, string>) {
  const published: CanonicalEvent[] = [];
  const republished: CanonicalEvent[] = [];
  const store = new DynamoEventStore(table);
  const deps: IngestDependencies = {
    connectorFor,
    knownPlatforms: () => Object.keys(connectors),
    settings: settingsFrom(settings),
    store,
    publisher: {
      publish: async (events) => {
        for (const event of events) (isRepublished(event) ? republished : published).push(event);
      },
    },
    clock: { now: () => new Date('2026-11-22T10:01:00.000Z') },
    maxBodyBytes: 256 * 1024,
  };
  return { post: (request: InboundRequest) => handleWebhook(request, deps), store, published, republished };
}

/** A documented payload with up to four of its fields (at any depth) replaced by arbitrary JSON or removed. */
export function fixtureMutations(fixture: Buffer): fc.Arbitrary<JsonMutation> {
  return jsonMutations(JSON.parse(fixture.toString('utf8')) as Json, 4);
}

/** What `connector` makes of a body once its signature is checked: the events it normalises it into. */
export function normalisedBy(connector: Connector, context: ConnectorContext): ReadDelivery {
  return (body) => connector.normalise(inbound(connector.platform, { body }), context).events;
}

/** Every `FOGHORN_*` name written in the source files of the given platform folders. */
export function settingNamesIn(...folders: string[]): string[] {
  const names = new Set<string>();
  for (const folder of folders) {
    const dir = new URL(`../../functions/platforms/${folder}/`, import.meta.url);
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      for (const match of readFileSync(new URL(file, dir), 'utf8').matchAll(/'(FOGHORN_[A-Z0-9_]+)'/g)) names.add(match[1]!);
    }
  }
  return [...names].sort();
}

export function docPage(platform: string): string {
  return readFileSync(new URL(`../../docs/platforms/${platform}.md`, import.meta.url), 'utf8');
}
