import type { DossierRecord } from '../model/record.js';

/**
 * A function of a record's content, computed once per record object: records are never changed, an
 * edit makes a new object. For values asked many times per analysis, and again in the next
 * analysis of `dossier serve` for the records an edit kept. The value is shared: callers must treat
 * it as read-only (its type should say so).
 */
export function perRecord<T>(compute: (record: DossierRecord) => T): (record: DossierRecord) => T {
  const known = new WeakMap<DossierRecord, { value: T }>();
  return (record) => {
    let entry = known.get(record);
    if (!entry) {
      entry = { value: compute(record) };
      known.set(record, entry);
    }
    return entry.value;
  };
}
