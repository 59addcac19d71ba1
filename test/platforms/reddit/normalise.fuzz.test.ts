import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FoghornError } from '../../../functions/core/errors.js';
import { redditThingToEvent } from '../../../functions/platforms/reddit/normalise.js';
import { mutatedPayloads } from '../../support/mutate-json.js';
import { fixtureJson, NOW } from './support.js';

const items = [
  ...fixtureJson<{ data: { children: unknown[] } }>('inbox.json').data.children,
  ...fixtureJson<{ data: { children: unknown[] } }>('mentions.json').data.children,
];

describe('reddit normalise on mangled listing items', () => {
  it.each(items.map((item, index) => [index, item] as const))(
    'never crashes on item %i with one field changed: an event or a NormaliseError',
    (_index, item) => {
      fc.assert(
        fc.property(mutatedPayloads(item as Parameters<typeof mutatedPayloads>[0]), (body) => {
          try {
            redditThingToEvent(JSON.parse(body.toString()), 'inbox', 'foghorn_support', NOW);
          } catch (error) {
            expect(error).toBeInstanceOf(FoghornError);
            expect((error as FoghornError).status).toBeLessThan(500);
          }
        }),
        { numRuns: Number(process.env.FOGHORN_FUZZ_RUNS ?? 200) },
      );
    },
  );
});
