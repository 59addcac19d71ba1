import fc from 'fast-check';
import { describe, it } from 'vitest';
import { discordConnector } from '../../../functions/platforms/discord/index.js';
import { expectEventsOrNamedRefusal, jsonMutations, type ReadDelivery } from '../../support/mutate-json.js';
import { context, discordDelivery, fixture } from './request.js';

/** What the ingest does with a signed delivery: handshake, else verify and normalise. */
const read: ReadDelivery = (body) => {
  const request = discordDelivery(body);
  if (discordConnector.handshake?.(request, context())) return undefined;
  discordConnector.verify(request, context());
  return discordConnector.normalise(request, context()).events;
};

describe('discord handshake, verify and normalise on mangled payloads', () => {
  it.each(['slash-command.json', 'dm-command.json', 'button-click.json'])(
    'on %s with one field changed: canonical events keeping their ids, or a 4xx naming the field',
    (name) => {
      fc.assert(
        fc.property(jsonMutations(JSON.parse(fixture(name).toString())), (mutation) => expectEventsOrNamedRefusal(read, mutation)),
        { numRuns: Number(process.env.FOGHORN_FUZZ_RUNS ?? 300) },
      );
    },
  );
});
