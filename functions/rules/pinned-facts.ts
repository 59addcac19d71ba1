/**
 * The values a rule's conditions pin a fact to: `platform equal telegram` pins `platform` to
 * {telegram}, `in [x, telegram]` to both; an `all` pins what any of its members pins (intersected
 * when several do), an `any` only what every branch pins (their union); `not` pins nothing. Used to
 * know where a rule's replies can go before any event arrives.
 */
export function pinnedValues(condition: unknown, fact: string): ReadonlySet<string> | undefined {
  if (condition === null || typeof condition !== 'object') return undefined;
  const node = condition as Record<string, unknown>;
  if (Array.isArray(node.all)) {
    let pinned: Set<string> | undefined;
    for (const member of node.all) {
      const values = pinnedValues(member, fact);
      if (values === undefined) continue;
      pinned = pinned === undefined ? new Set(values) : new Set([...pinned].filter((value) => values.has(value)));
    }
    return pinned;
  }
  if (Array.isArray(node.any)) {
    const union = new Set<string>();
    for (const branch of node.any) {
      const values = pinnedValues(branch, fact);
      if (values === undefined) return undefined;
      for (const value of values) union.add(value);
    }
    return node.any.length > 0 ? union : undefined;
  }
  if (node.fact !== fact || node.path !== undefined) return undefined;
  if (node.operator === 'equal' && typeof node.value === 'string') return new Set([node.value]);
  if (node.operator === 'in' && Array.isArray(node.value) && node.value.every((value) => typeof value === 'string')) {
    return new Set(node.value as string[]);
  }
  return undefined;
}
