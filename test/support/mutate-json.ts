import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path (list of keys/indices) inside a JSON value, the root included. */
export function jsonPaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const paths = [prefix];
  if (Array.isArray(value)) for (const [index, item] of value.entries()) paths.push(...jsonPaths(item, [...prefix, index]));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) paths.push(...jsonPaths(item, [...prefix, key]));
  return paths;
}

/** A copy of `value` with the node at `path` replaced by `replacement` (or deleted when it is undefined). */
export function replaceAt(value: Json, path: (string | number)[], replacement: Json | undefined): Json | undefined {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, Json>;
  let node: Record<string | number, Json> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy as Json;
}

/** Real-shaped payloads with one field replaced by any JSON value or removed: what a fuzzer sends after the signature check. */
export function mutatedPayloads(fixture: Json): fc.Arbitrary<Buffer> {
  const paths = jsonPaths(fixture);
  return fc
    .tuple(fc.constantFrom(...paths), fc.option(fc.jsonValue(), { nil: undefined }))
    .map(([path, replacement]) => Buffer.from(JSON.stringify(replaceAt(fixture, path, replacement as Json | undefined) ?? null)));
}
