/**
 * Whether two JSON values are the same value: objects equal whatever the order of their keys (a
 * jsonb column gives them back in its own order), arrays equal item by item, in order.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameJson(item, b[i]));
  }
  const entries = Object.entries(a).filter(([, value]) => value !== undefined);
  const other = b as Record<string, unknown>;
  return (
    entries.length === Object.values(other).filter((value) => value !== undefined).length &&
    entries.every(([key, value]) => Object.hasOwn(other, key) && sameJson(value, other[key]))
  );
}
