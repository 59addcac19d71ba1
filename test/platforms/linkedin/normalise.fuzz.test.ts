import fc from 'fast-check';
import { describe, it } from 'vitest';
import { linkedInConnector } from '../../../functions/platforms/linkedin/index.js';
import { expectEventsOrNamedRefusal, jsonMutations, type ReadDelivery } from '../../support/mutate-json.js';
import { context, delivery, fixture } from './support.js';

/** What the ingest does with a signed delivery: handshake, else verify and normalise. */
const read: ReadDelivery = (body) => {
  const request = delivery(body);
  if (linkedInConnector.handshake?.(request, context())) return undefined;
  linkedInConnector.verify(request, context());
  return linkedInConnector.normalise(request, context()).events;
};

describe('linkedin verify and normalise on mangled payloads', () => {
  it.each(['comment.json', 'comment-delivered.json', 'batch.json'])(
    'on %s with one field changed: canonical events keeping their ids, or a 4xx naming the field',
    (name) => {
      fc.assert(
        fc.property(jsonMutations(JSON.parse(fixture(name).toString())), (mutation) => expectEventsOrNamedRefusal(read, mutation)),
        { numRuns: Number(process.env.FOGHORN_FUZZ_RUNS ?? 300) },
      );
    },
  );
});
