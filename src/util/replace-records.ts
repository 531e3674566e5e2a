/**
 * A computed value (a safety analysis) with some of the records it refers to replaced by their new
 * objects: what an analysis reuses from the previous one when the records' changes cannot change
 * the value, only the objects it names (src/analyze.ts). Plain objects, arrays, maps and sets are
 * copied where something below them was replaced and kept as they are otherwise; records (what
 * `keyOf` gives a key for, replaced or not) are not entered; functions and other objects are kept
 * as they are.
 *
 * Walking a whole safety analysis of 100,000 records to find the few records an edit replaced costs
 * about 0.1 s. So the first replacement notes where each record sits in the value (the places of
 * its key, from the root), and the value made is given the same places: its shape is the old one's,
 * only records were swapped. Each later replacement in that line copies only the containers on the
 * way to the records it replaces. A value whose records cannot be placed by a path (a record as a
 * map key or in a set, an object as a map key) is walked whole each time, as before.
 */

/** The key of a record that stays the same when its object is replaced (its id); undefined for any other value. */
export type RecordKey = (value: object) => string | undefined;

type MapKey = string | number | boolean | bigint | symbol | null | undefined;
type Step = string | number | { readonly mapKey: MapKey };
type Places = ReadonlyMap<string, readonly (readonly Step[])[]>;

/** Values by where their records are: a value made by a replacement shares its origin's entry. */
const PLACES = new WeakMap<object, Places | 'unplaceable'>();

/** More container visits than this (a value sharing parts many times over) is walked whole instead. */
const MOST_VISITS = 5_000_000;

export function withRecordsReplaced<T>(value: T, replaced: ReadonlyMap<object, object>, keyOf: RecordKey): T {
  if (typeof value !== 'object' || value === null || replaced.size === 0) return value;
  const places = notePlaces(value, keyOf);
  if (places === 'unplaceable') return walkReplacing(value, replaced, keyOf);
  const result = replaceAt(value, places, replaced, keyOf);
  if (result !== value) PLACES.set(result as object, places);
  return result;
}

/**
 * Notes where the value's records are, if not noted yet: what the first replacement would do, done
 * ahead (`dossier serve` does it while idle, so that the first edit does not wait for it).
 */
export function notePlaces(value: object, keyOf: RecordKey): Places | 'unplaceable' {
  let places = PLACES.get(value);
  if (places === undefined) {
    places = placesOf(value, keyOf) ?? 'unplaceable';
    PLACES.set(value, places);
  }
  return places;
}

/** Each record key's paths from the root, or undefined when a record cannot be reached by a path of keys. */
function placesOf(root: object, keyOf: RecordKey): Places | undefined {
  const places = new Map<string, Step[][]>();
  const path: Step[] = [];
  const inProgress = new Set<object>();
  let visits = 0;
  const visit = (v: unknown): boolean => {
    if (typeof v !== 'object' || v === null) return true;
    const key = keyOf(v);
    if (key !== undefined) {
      const list = places.get(key);
      if (list) list.push([...path]);
      else places.set(key, [[...path]]);
      return true;
    }
    if (inProgress.has(v)) throw new Error('withRecordsReplaced: the value refers to itself');
    if (++visits > MOST_VISITS) return false;
    inProgress.add(v);
    let placeable = true;
    if (Array.isArray(v)) {
      for (let i = 0; placeable && i < v.length; i++) {
        path.push(i);
        placeable = visit(v[i]);
        path.pop();
      }
    } else if (v instanceof Map) {
      for (const [k, x] of v) {
        if (typeof k === 'object' && k !== null) placeable = false;
        if (!placeable) break;
        path.push({ mapKey: k as MapKey });
        placeable = visit(x);
        path.pop();
      }
    } else if (v instanceof Set) {
      for (const x of v) if (typeof x === 'object' && x !== null) placeable = false;
    } else if (isPlain(v)) {
      const object = v as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        path.push(key);
        placeable = visit(object[key]);
        path.pop();
        if (!placeable) break;
      }
    }
    inProgress.delete(v);
    return placeable;
  };
  return visit(root) ? places : undefined;
}

/** The value with each replaced record put in at its places, copying only the containers on the way. */
function replaceAt<T extends object>(
  root: T,
  places: Places,
  replaced: ReadonlyMap<object, object>,
  keyOf: RecordKey,
): T {
  const copies = new Map<object, object>();
  const copyOf = (original: object): object => {
    let copy = copies.get(original);
    if (!copy) {
      copy = shallowCopy(original);
      copies.set(original, copy);
    }
    return copy;
  };
  for (const [old, now] of replaced) {
    const key = keyOf(old);
    const paths = key === undefined ? undefined : places.get(key);
    if (!paths) continue;
    for (const path of paths) {
      // The way down is read in the original value; the copies made on it are written.
      const chain: object[] = [root];
      for (let i = 0; i < path.length - 1; i++) chain.push(childAt(chain[i]!, path[i]!) as object);
      const last = path.length - 1;
      // Another object under the same key is not the record replaced: left as it is.
      if (last < 0 || childAt(chain[last]!, path[last]!) !== old) continue;
      let put: object = now;
      for (let i = last; i >= 0; i--) {
        const copy = copyOf(chain[i]!);
        setChild(copy, path[i]!, put);
        put = copy;
      }
    }
  }
  return (copies.get(root) as T | undefined) ?? root;
}

function childAt(container: object, step: Step): unknown {
  if (typeof step === 'object') return (container as Map<MapKey, unknown>).get(step.mapKey);
  return (container as Record<string | number, unknown>)[step];
}

function setChild(container: object, step: Step, value: unknown): void {
  if (typeof step === 'object') (container as Map<MapKey, unknown>).set(step.mapKey, value);
  else (container as Record<string | number, unknown>)[step] = value;
}

function shallowCopy(v: object): object {
  if (Array.isArray(v)) return v.slice();
  if (v instanceof Map) return new Map(v);
  return Object.assign(Object.create(Object.getPrototypeOf(v) as object | null) as object, v);
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The whole value walked, each replaced record put in: for values whose records have no path. */
function walkReplacing<T>(value: T, replaced: ReadonlyMap<object, object>, keyOf: RecordKey): T {
  const done = new Map<object, unknown>();
  const inProgress = new Set<object>();
  const visit = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (keyOf(v) !== undefined) return replaced.get(v) ?? v;
    if (done.has(v)) return done.get(v);
    // A value that refers back to itself is not what this is for: say so rather than loop.
    if (inProgress.has(v)) throw new Error('withRecordsReplaced: the value refers to itself');
    inProgress.add(v);
    let result: unknown = v;
    if (Array.isArray(v)) {
      // Copied only from the first item replaced: most of a large value has nothing to replace.
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item = visit(v[i]);
        if (copy) copy.push(item);
        else if (item !== v[i]) {
          copy = v.slice(0, i);
          copy.push(item);
        }
      }
      if (copy) result = copy;
    } else if (v instanceof Map) {
      let changed = false;
      const entries: [unknown, unknown][] = [];
      for (const [k, x] of v) {
        const entry: [unknown, unknown] = [visit(k), visit(x)];
        if (entry[0] !== k || entry[1] !== x) changed = true;
        entries.push(entry);
      }
      if (changed) result = new Map(entries);
    } else if (v instanceof Set) {
      let changed = false;
      const items: unknown[] = [];
      for (const x of v) {
        const item = visit(x);
        if (item !== x) changed = true;
        items.push(item);
      }
      if (changed) result = new Set(items);
    } else if (isPlain(v)) {
      let copy: Record<string, unknown> | undefined;
      const object = v as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        const item = visit(object[key]);
        if (item !== object[key]) {
          copy ??= shallowCopy(object) as Record<string, unknown>;
          copy[key] = item;
        }
      }
      if (copy) result = copy;
    }
    inProgress.delete(v);
    done.set(v, result);
    return result;
  };
  return visit(value) as T;
}
