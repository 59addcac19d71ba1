import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FoghornError } from '../../../functions/core/errors.js';
import { vkConnector } from '../../../functions/platforms/vk/index.js';
import { mutatedPayloads } from '../../support/mutate-json.js';
import { context, fixture, vkDelivery } from './request.js';

describe('vk handshake, verify and normalise on mangled payloads', () => {
  it.each(['message-new-dm.json', 'message-new-chat.json', 'wall-reply-new.json'])(
    'never crashes on %s with one field changed: events or a 4xx error',
    (name) => {
      fc.assert(
        fc.property(mutatedPayloads(JSON.parse(fixture(name).toString())), (body) => {
          try {
            // What the ingest does with a signed delivery: handshake, else verify and normalise.
            const request = vkDelivery(body);
            if (!vkConnector.handshake?.(request, context())) {
              vkConnector.verify(request, context());
              vkConnector.normalise(request, context());
            }
          } catch (error) {
            expect(error).toBeInstanceOf(FoghornError);
            expect((error as FoghornError).status).toBeLessThan(500);
          }
        }),
        { numRuns: Number(process.env.FOGHORN_FUZZ_RUNS ?? 300) },
      );
    },
  );
});
