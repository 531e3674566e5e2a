/**
 * JSON serialisation for the SBOM and VEX writers. Documents are built with their keys in a fixed
 * order, so `serialize` keeps insertion order (readable, spec-ordered output); `canonicalJson` sorts
 * keys recursively and drops whitespace, for hashing content into deterministic identifiers.
 */

/** Pretty-printed JSON with a final newline: the bytes written to disk. */
export function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** Compact JSON with object keys sorted by code unit: equal content gives equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
