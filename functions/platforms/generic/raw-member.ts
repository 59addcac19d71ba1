/**
 * The source text of a top-level member's value in a JSON object, exactly as the sender wrote it: JSON.parse
 * rounds numbers beyond 2^53, and an id must keep every digit. `json` must already have parsed; like
 * JSON.parse, the last of duplicate keys wins. One pass, no recursion.
 */
export function rawTopLevelMember(json: string, key: string): string | undefined {
  let index = skipSpace(json, 0);
  if (json[index] !== '{') return undefined;
  index = skipSpace(json, index + 1);
  let found: string | undefined;
  while (index < json.length && json[index] !== '}') {
    const keyEnd = stringEnd(json, index);
    const name = JSON.parse(json.slice(index, keyEnd)) as string;
    index = skipSpace(json, skipSpace(json, keyEnd) + 1); // past the ':'
    const valueEnd = valueEndAt(json, index);
    if (name === key) found = json.slice(index, valueEnd);
    index = skipSpace(json, valueEnd);
    if (json[index] === ',') index = skipSpace(json, index + 1);
  }
  return found;
}

function skipSpace(json: string, from: number): number {
  let index = from;
  while (index < json.length && /\s/.test(json[index] ?? '')) index++;
  return index;
}

/** The index just past the string that starts at `from` (a `"`). */
function stringEnd(json: string, from: number): number {
  let index = from + 1;
  while (index < json.length && json[index] !== '"') index += json[index] === '\\' ? 2 : 1;
  return index + 1;
}

/** The index just past the value that starts at `from`. */
function valueEndAt(json: string, from: number): number {
  const first = json[from];
  if (first === '"') return stringEnd(json, from);
  if (first !== '{' && first !== '[') {
    let index = from;
    while (index < json.length && !/[\s,}\]]/.test(json[index] ?? '')) index++;
    return index;
  }
  let depth = 0;
  let index = from;
  while (index < json.length) {
    const char = json[index];
    if (char === '"') {
      index = stringEnd(json, index);
      continue;
    }
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return index + 1;
    }
    index++;
  }
  return index;
}
