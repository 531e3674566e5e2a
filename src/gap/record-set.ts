/** The records an evaluator is about: a kind, filtered by field values and by class applicability. */
import { type DossierRecord, isActive } from '../model/record.js';
import { classesOfClause } from '../safety/class-scheme.js';
import type { GapContext } from './context.js';
import { hasValue } from './outcome.js';
import type { RecordSet, Where } from './types.js';

/** A test of `where`, its fields listed once (it runs on every record of a kind). */
export function whereMatcher(where: Where | undefined): (record: DossierRecord) => boolean {
  const tests = Object.entries(where ?? {});
  return (record) => tests.every(([field, allowed]) => allowed.some((a) => a === record.fields[field]));
}

// Many clauses judge the same records (every software requirement at the classes of 5.2.x): each
// selection is made once per scan. Keyed by the context, so a scan never sees another's records.
const CACHE = new WeakMap<GapContext, Map<string, DossierRecord[]>>();

/**
 * Active records of the set. With a clause (and without `allClasses`), only those at whose class the
 * clause applies (Table A.1, the class `dossier check` judges the record at): a class C obligation
 * is judged on class C units only.
 */
export function recordsOf(
  context: GapContext,
  set: RecordSet,
  clause: string | undefined,
  allClasses = false,
): DossierRecord[] {
  const { graph, safety } = context.analysis;
  const applying = clause === undefined ? [] : classesOfClause(safety.scheme, clause).classes;
  // A clause that applies at every class needs no class of each record.
  const classes =
    allClasses || clause === undefined || applying.length === safety.scheme.classes.length
      ? undefined
      : new Set(applying);
  const key = JSON.stringify([
    set.kind,
    set.where ?? null,
    set.has ?? null,
    set.leaves === true,
    classes ? [...classes] : null,
  ]);
  let cache = CACHE.get(context);
  if (!cache) {
    cache = new Map();
    CACHE.set(context, cache);
  }
  const known = cache.get(key);
  if (known) return known;
  // One pass over the kind with each test decided once per selection, not once per record: the
  // selections of `*` and of software requirements walk tens of thousands of records.
  const matches = whereMatcher(set.where);
  const has = set.has ?? [];
  const leaf = (r: DossierRecord) => graph.childrenOf(r).every((child) => !isActive(child));
  const selected: DossierRecord[] = [];
  for (const r of set.kind === '*' ? graph.byId.values() : graph.ofKind(set.kind)) {
    if (
      isActive(r) &&
      matches(r) &&
      has.every((field) => hasValue(r.fields[field])) &&
      (!set.leaves || leaf(r)) &&
      (classes === undefined || classes.has(context.classOf(r.id)))
    )
      selected.push(r);
  }
  cache.set(key, selected);
  return selected;
}

const IDS = new WeakMap<readonly DossierRecord[], ReadonlySet<string>>();

/** The ids of a selection (made once per selection, which {@link recordsOf} caches). */
export function idsOf(set: readonly DossierRecord[]): ReadonlySet<string> {
  let ids = IDS.get(set);
  if (!ids) {
    ids = new Set(set.map((r) => r.id));
    IDS.set(set, ids);
  }
  return ids;
}
