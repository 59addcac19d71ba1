import fc from 'fast-check';
import { describe, it } from 'vitest';
import { slackConnector } from '../../../functions/platforms/slack/index.js';
import { expectEventsOrNamedRefusal, jsonMutations, type ReadDelivery } from '../../support/mutate-json.js';
import { context, fixture, slackDelivery } from './request.js';

/** What the ingest does with a signed delivery: handshake, else verify and normalise. */
const read: ReadDelivery = (body) => {
  const request = slackDelivery(body);
  if (slackConnector.handshake?.(request, context())) return undefined;
  slackConnector.verify(request, context());
  return slackConnector.normalise(request, context()).events;
};

describe('slack handshake, verify and normalise on mangled payloads', () => {
  it.each(['app-mention.json', 'message-thread-reply.json', 'message-from-own-bot.json'])(
    'on %s with one field changed: canonical events keeping their ids, or a 4xx naming the field',
    (name) => {
      fc.assert(
        fc.property(jsonMutations(JSON.parse(fixture(name).toString())), (mutation) => expectEventsOrNamedRefusal(read, mutation)),
        { numRuns: Number(process.env.FOGHORN_FUZZ_RUNS ?? 300) },
      );
    },
  );
});
