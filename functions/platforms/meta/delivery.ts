import { z } from 'zod';
import { NormaliseError } from '../../core/errors.js';
import { isoFromMillis, parseJson, parseWith } from '../shared/payload.js';

/** The envelope of every Meta webhook delivery; entries carry `changes` (feed, comments, WhatsApp) or `messaging`. */
const metaDeliverySchema = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.string(),
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
    throw new NormaliseError(`delivery is for object '${delivery.object}', expected '${expectedObject}'`);
  }
  return delivery;
}

/** Meta sends times as Unix seconds in some fields and milliseconds in others. */
export function isoFromUnix(value: number | string): string {
  const number = typeof value === 'string' ? Number(value) : value;
  if (!Number.isFinite(number)) throw new NormaliseError(`'${String(value)}' is not a Unix time`);
  return isoFromMillis(number > 1e12 ? number : number * 1000, `Unix time ${String(value)}`);
}
