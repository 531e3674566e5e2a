/**
 * OSV timestamps (RFC 3339) as comparable keys. `Date.parse` keeps milliseconds only, while pypa
 * writes microseconds (`2024-10-10T17:22:00.587279Z`), so two different `modified` values could
 * compare equal; the key keeps every fractional digit.
 */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** A string that sorts like the instant (UTC, nanosecond digits), or undefined when not RFC 3339. */
export function timestampKey(value: string): string | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const zone = m[4] === 'z' || m[4] === 'Z' ? 'Z' : m[4]!;
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  const fraction = (m[3] ?? '').slice(0, 9).padEnd(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}`;
}

/** Compares two OSV timestamps; unparseable values sort first. */
export function compareTimestamps(a: string, b: string): number {
  const ka = timestampKey(a) ?? '';
  const kb = timestampKey(b) ?? '';
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Whether a timestamp says when the record changed. golang/vulndb's repository files carry Go's zero
 * time (`0001-01-01T00:00:00Z`) as a placeholder in `modified`, so anything before 1970 is not a date.
 */
export function isMeaningfulTimestamp(value: string | undefined): boolean {
  if (!value) return false;
  const key = timestampKey(value);
  return key !== undefined && key >= '1970';
}
