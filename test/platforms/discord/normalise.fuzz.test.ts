import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FoghornError } from '../../../functions/core/errors.js';
import { discordConnector } from '../../../functions/platforms/discord/index.js';
import { mutatedPayloads } from '../../support/mutate-json.js';
import { context, discordDelivery, fixture } from './request.js';

describe('discord handshake, verify and normalise on mangled payloads', () => {
  it.each(['slash-command.json', 'dm-command.json', 'button-click.json'])(
    'never crashes on %s with one field changed: events or a 4xx error',
    (name) => {
      fc.assert(
        fc.property(mutatedPayloads(JSON.parse(fixture(name).toString())), (body) => {
          try {
            // What the ingest does with a signed delivery: handshake, else verify and normalise.
            const request = discordDelivery(body);
            if (!discordConnector.handshake?.(request, context())) {
              discordConnector.verify(request, context());
              discordConnector.normalise(request, context());
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
