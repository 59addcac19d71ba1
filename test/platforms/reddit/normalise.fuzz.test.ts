import fc from 'fast-check';
import { describe, it } from 'vitest';
import { redditThingToEvent } from '../../../functions/platforms/reddit/normalise.js';
import { expectEventsOrNamedRefusal, type Json, jsonMutations, type ReadDelivery } from '../../support/mutate-json.js';
import { fixtureJson, NOW } from './support.js';

const items = [
  ...fixtureJson<{ data: { children: Json[] } }>('inbox.json').data.children,
  ...fixtureJson<{ data: { children: Json[] } }>('mentions.json').data.children,
];

const read: ReadDelivery = (body) => [redditThingToEvent(JSON.parse(body.toString()), 'inbox', 'foghorn_support', NOW)];

describe('reddit normalise on mangled listing items', () => {
  it.each(items.map((item, index) => [index, item] as const))(
    'on item %i with one field changed: a canonical event keeping its id, or a NormaliseError naming the field',
    (_index, item) => {
      fc.assert(
        fc.property(jsonMutations(item), (mutation) => expectEventsOrNamedRefusal(read, mutation)),
        { numRuns: Number(process.env.FOGHORN_FUZZ_RUNS ?? 200) },
      );
    },
  );
});
