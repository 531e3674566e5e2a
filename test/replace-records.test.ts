/**
 * `withRecordsReplaced` (src/util/replace-records.ts): the value with the records replaced equals
 * the value built with the new records in the first place, shares every part nothing was replaced
 * under, leaves the original as it was, and stays right along a line of replacements (where it puts
 * records in by the places it noted on the first one).
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { withRecordsReplaced } from '../src/util/replace-records.js';
import { pickOne, seededRandom } from './helpers.js';

interface Rec {
  readonly id: string;
  readonly version: number;
  readonly origin: object;
  readonly links: object;
  readonly kind: string;
}

const keyOf = (v: object) => ('origin' in v && 'links' in v && 'kind' in v ? (v as Rec).id : undefined);
const rec = (id: string, version: number): Rec => ({ id, version, origin: {}, links: {}, kind: 'test' });

/** An instance of a class: not a container, kept as it is. */
class Kept {
  readonly note = 'kept';
}

/**
 * A random value over the records given by `at` (a function, so the same shape can be made with
 * other record objects): arrays, plain objects, null-prototype objects, maps with primitive keys,
 * primitives, a class instance kept as it is, and parts shared between places.
 */
function shape(seed: number, ids: readonly string[], placeable: boolean) {
  return (at: (id: string) => Rec): unknown => {
    const random = seededRandom(seed);
    const shared: unknown[] = [];
    const make = (depth: number): unknown => {
      const r = random();
      if (depth > 4 || r < 0.25) return at(pickOne(random, ids));
      if (r < 0.3) return pickOne(random, [1, 'text', true, null, undefined]);
      if (r < 0.35 && shared.length > 0) return pickOne(random, shared);
      const n = 1 + Math.floor(random() * 4);
      let made: unknown;
      if (r < 0.55) made = Array.from({ length: n }, () => make(depth + 1));
      else if (r < 0.75) {
        const o: Record<string, unknown> = random() < 0.2 ? Object.create(null) : {};
        for (let i = 0; i < n; i++) o[`k${i}`] = make(depth + 1);
        made = o;
      } else if (r < 0.9)
        made = new Map(Array.from({ length: n }, (_, i) => [i % 2 ? `m${i}` : i, make(depth + 1)]));
      else if (placeable) made = [make(depth + 1)];
      // Records a path of keys cannot reach: in a set, or as a map's key.
      else if (random() < 0.5) made = new Set([at(pickOne(random, ids)), 'x']);
      else made = new Map([[at(pickOne(random, ids)) as unknown, make(depth + 1)]]);
      if (random() < 0.3) shared.push(made);
      return made;
    };
    return { root: make(0), kept: new Kept() };
  };
}

/** Every container of a value (the parts a replacement may share or copy). */
function containers(v: unknown, into = new Set<object>()): Set<object> {
  if (typeof v !== 'object' || v === null || keyOf(v) !== undefined || into.has(v)) return into;
  into.add(v);
  if (Array.isArray(v) || v instanceof Set) for (const x of v) containers(x, into);
  else if (v instanceof Map) for (const entry of v) for (const x of entry) containers(x, into);
  else for (const x of Object.values(v)) containers(x, into);
  return into;
}

/** Whether a record of `records` is somewhere in `v`. */
function holdsAny(v: unknown, records: ReadonlySet<object>): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (keyOf(v) !== undefined) return records.has(v);
  const parts =
    Array.isArray(v) || v instanceof Set ? [...v] : v instanceof Map ? [...v].flat() : Object.values(v);
  return parts.some((x) => holdsAny(x, records));
}

/** Whether each record object in `a` is the very object at the same place in `b`. */
function sameRecords(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null) return a === b;
  if (keyOf(a) !== undefined) return a === b;
  if (typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameRecords(x, b[i]));
  if (a instanceof Map) {
    const bs = [...(b as Map<unknown, unknown>)];
    return [...a].every(([k, x], i) => sameRecords(k, bs[i]?.[0]) && sameRecords(x, bs[i]?.[1]));
  }
  if (a instanceof Set) {
    const bs = [...(b as Set<unknown>)];
    return [...a].every((x, i) => sameRecords(x, bs[i]));
  }
  const ka = Object.keys(a);
  return (
    isDeepStrictEqual(ka, Object.keys(b)) &&
    ka.every((k) => sameRecords((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

describe('withRecordsReplaced', () => {
  for (const placeable of [true, false]) {
    it(`equals the value made with the new records, along a line of replacements (${placeable ? 'placed by paths' : 'walked whole'})`, () => {
      for (let seed = 1; seed <= 150; seed++) {
        const ids = Array.from({ length: 6 }, (_, i) => `R-${i}`);
        const build = shape(seed, ids, placeable);
        let current = new Map(ids.map((id) => [id, rec(id, 0)]));
        let value = build((id) => current.get(id)!);
        const random = seededRandom(seed * 7919);
        for (let round = 1; round <= 4; round++) {
          const next = new Map(current);
          const replaced = new Map<object, object>();
          for (const id of ids)
            if (random() < 0.4) {
              const now = rec(id, round);
              replaced.set(current.get(id)!, now);
              next.set(id, now);
            }
          const before = containers(value);
          const snapshot = build((id) => current.get(id)!);
          const result = withRecordsReplaced(value, replaced, keyOf);
          // The original is left as it was.
          expect(sameRecords(value, snapshot) && isDeepStrictEqual(value, snapshot)).toBe(true);
          const expected = build((id) => next.get(id)!);
          expect(isDeepStrictEqual(result, expected)).toBe(true);
          expect(sameRecords(result, expected)).toBe(true);
          // A part with nothing replaced under it is the same object; one with something is a copy.
          const after = containers(result);
          const unchanged = [...containers(expected)].length;
          expect(after.size).toBe(unchanged);
          const old = new Set(replaced.keys());
          for (const c of after) if (before.has(c)) expect(holdsAny(c, old)).toBe(false);
          if (replaced.size === 0) expect(result).toBe(value);
          value = result;
          current = next;
        }
      }
    });
  }

  it('copies only the containers on the way to a replaced record', () => {
    const a = rec('A', 0);
    const b = rec('B', 0);
    const untouched = { list: [b, b], more: new Map([[1, b]]) };
    const value = { left: [{ x: a }], right: untouched };
    const a1 = rec('A', 1);
    const result = withRecordsReplaced(value, new Map([[a, a1]]), keyOf);
    expect(result.left[0]!.x).toBe(a1);
    expect(result.right).toBe(untouched);
    expect(value.left[0]!.x).toBe(a);
    // The next replacement in the line starts from the places noted on the first.
    const a2 = rec('A', 2);
    const again = withRecordsReplaced(result, new Map([[a1, a2]]), keyOf);
    expect(again.left[0]!.x).toBe(a2);
    expect(result.left[0]!.x).toBe(a1);
    // A record object under the key that is not the one replaced stays.
    const other = withRecordsReplaced(again, new Map([[a1, rec('A', 3)]]), keyOf);
    expect(other).toBe(again);
  });

  it('says so rather than loop on a value that refers to itself', () => {
    const looped: Record<string, unknown> = { a: rec('A', 0) };
    looped.self = looped;
    expect(() => withRecordsReplaced(looped, new Map([[looped.a as object, rec('A', 1)]]), keyOf)).toThrow(
      /refers to itself/,
    );
  });
});
