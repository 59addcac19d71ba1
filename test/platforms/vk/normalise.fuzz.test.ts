import fc from 'fast-check';
import { describe, it } from 'vitest';
import { vkConnector } from '../../../functions/platforms/vk/index.js';
import { expectEventsOrNamedRefusal, jsonMutations, type ReadDelivery } from '../../support/mutate-json.js';
import { context, fixture, vkDelivery } from './request.js';

/** What the ingest does with a signed delivery: handshake, else verify and normalise. */
const read: ReadDelivery = (body) => {
  const request = vkDelivery(body);
  if (vkConnector.handshake?.(request, context())) return undefined;
  vkConnector.verify(request, context());
  return vkConnector.normalise(request, context()).events;
};

describe('vk handshake, verify and normalise on mangled payloads', () => {
  it.each(['message-new-dm.json', 'message-new-chat.json', 'wall-reply-new.json'])(
    'on %s with one field changed: canonical events keeping their ids, or a 4xx naming the field',
    (name) => {
      fc.assert(
        fc.property(jsonMutations(JSON.parse(fixture(name).toString())), (mutation) => expectEventsOrNamedRefusal(read, mutation)),
        { numRuns: Number(process.env.FOGHORN_FUZZ_RUNS ?? 300) },
      );
    },
  );
});
