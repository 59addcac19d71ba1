import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FoghornError } from '../../../functions/core/errors.js';
import { slackConnector } from '../../../functions/platforms/slack/index.js';
import { mutatedPayloads } from '../../support/mutate-json.js';
import { context, fixture, slackDelivery } from './request.js';

describe('slack handshake, verify and normalise on mangled payloads', () => {
  it.each(['app-mention.json', 'message-thread-reply.json', 'message-from-own-bot.json'])(
    'never crashes on %s with one field changed: events or a 4xx error',
    (name) => {
      fc.assert(
        fc.property(mutatedPayloads(JSON.parse(fixture(name).toString())), (body) => {
          try {
            // What the ingest does with a signed delivery: handshake, else verify and normalise.
            const request = slackDelivery(body);
            if (!slackConnector.handshake?.(request, context())) {
              slackConnector.verify(request, context());
              slackConnector.normalise(request, context());
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
