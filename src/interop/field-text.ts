/**
 * A record field as the text of a scalar attribute (a ReqIF STRING, a sphinx-needs option, a
 * spreadsheet cell), for every exporter: the import reads it back to the same value
 * (src/interop/plan.ts, `coerced`).
 *
 * A list of plain values is written "a, b, c", as people write id lists; but only when that splits
 * back into the same items: a list with an item holding a comma, semicolon or line break (a
 * hazardous situation's sequence of events) is written as JSON, like every other structured value
 * (keys sorted).
 */
import { canonicalJson } from '../util/canonical-json.js';

const SPLITS = /[,;\r\n]/;

export function fieldText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (
    Array.isArray(value) &&
    value.every(
      (v) =>
        typeof v === 'number' || (typeof v === 'string' && v.trim() === v && v !== '' && !SPLITS.test(v)),
    )
  ) {
    return value.map(String).join(', ');
  }
  // Keys sorted: the same record gives the same text however its file orders them.
  return canonicalJson(value);
}
