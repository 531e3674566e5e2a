/**
 * JSON serialisation for the SBOM and VEX writers. Documents are built with their keys in a fixed
 * order, so `serialize` keeps insertion order (readable, spec-ordered output); `canonicalJson` sorts
 * keys recursively and drops whitespace, for hashing content into deterministic identifiers.
 */

/** Pretty-printed JSON with a final newline: the bytes written to disk. */
export function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Compact JSON with object keys sorted by code unit: equal content gives equal strings. Written
 * directly, not as a sorted copy passed to JSON.stringify: record fingerprints hash every reviewed
 * record on every check, and a copy would not even be sorted, as JavaScript puts integer-like keys
 * ("10", "9") first. Every key is sorted by UTF-16 code unit ("10" < "9" < "a"); members whose
 * value is undefined are left out, as are functions and symbols, which become `null` in arrays.
 * A versioned contract through the fingerprints (docs/format.md#fingerprints).
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol')
    return JSON.stringify(value);
  return write(value);
}

const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

// Built by concatenation: V8 joins the pieces lazily, which is faster than collecting them in an
// array for the many small objects of a record.
function write(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += omitted(value[i]) ? 'null' : write(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // Object.keys order, then sorted by UTF-16 code unit, as `a < b` compares strings.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (omitted(v)) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${write(v)}`;
  }
  return `${out}}`;
}
