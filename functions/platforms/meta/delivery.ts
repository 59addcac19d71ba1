import { z } from 'zod';
import { NormaliseError } from '../../core/errors.js';
import { isoFromEpochMs } from '../shared/epoch.js';
import { parseJson, parseWith } from '../shared/payload.js';

/** The envelope of every Meta webhook delivery; entries carry `changes` (feed, comments, WhatsApp) or `messaging`. */
const metaDeliverySchema = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.string().min(1),
      time: z.number().optional(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).optional(),
      messaging: z.array(z.unknown()).optional(),
    }),
  ),
});

export type MetaDelivery = z.infer<typeof metaDeliverySchema>;
export type MetaEntry = MetaDelivery['entry'][number];

/** Parses the body as JSON (400 if it is not) and checks it is a delivery for `expectedObject` (422 otherwise). */
export function parseMetaDelivery(rawBody: Buffer, expectedObject: string): MetaDelivery {
  const json = parseJson(rawBody);
  const delivery = parseWith(metaDeliverySchema, json, 'delivery');
  if (delivery.object !== expectedObject) {
    throw new NormaliseError(`delivery is for object '${delivery.object}', expected '${expectedObject}'`, { path: 'object' });
  }
  return delivery;
}

/**
 * Meta sends times as Unix seconds in some fields and milliseconds in others, as numbers or digit strings.
 * `path` is the field the value came from (`entry.0.messaging.0.timestamp`), named when it is no time.
 */
export function isoFromUnix(value: number | string, path: string): string {
  // Number('') and Number(' ') are 0: a blank string is no time, not 1970.
  const number = typeof value === 'string' ? (value.trim() === '' ? Number.NaN : Number(value)) : value;
  if (!Number.isFinite(number)) throw new NormaliseError(`\`${path}\` is not a Unix time: ${JSON.stringify(value)}`, { path, got: value });
  return isoFromEpochMs(number > 1e12 ? number : number * 1000, path);
}
