/**
 * A computed value (a safety analysis) with some of the records it refers to replaced by their new
 * objects: what an analysis reuses from the previous one when the records' changes cannot change
 * the value, only the objects it names (src/analyze.ts). Plain objects, arrays, maps and sets are
 * copied where something below them was replaced and kept as they are otherwise; records (what
 * `isRecord` says is one, replaced or not) are not entered; functions and other objects are kept
 * as they are.
 */
export function withRecordsReplaced<T>(
  value: T,
  replaced: ReadonlyMap<object, object>,
  isRecord: (value: object) => boolean,
): T {
  const done = new Map<object, unknown>();
  const inProgress = new Set<object>();
  const visit = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (isRecord(v)) return replaced.get(v) ?? v;
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
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto === Object.prototype || proto === null) {
        let copy: Record<string, unknown> | undefined;
        const object = v as Record<string, unknown>;
        for (const key of Object.keys(object)) {
          const item = visit(object[key]);
          if (item !== object[key]) {
            copy ??= Object.assign(Object.create(proto) as object, object) as Record<string, unknown>;
            copy[key] = item;
          }
        }
        if (copy) result = copy;
      }
    }
    inProgress.delete(v);
    done.set(v, result);
    return result;
  };
  return visit(value) as T;
}
