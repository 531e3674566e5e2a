/** The records an evaluator is about: a kind, filtered by field values and by class applicability. */
import { type DossierRecord, isActive } from '../model/record.js';
import { clauseAppliesAt } from '../safety/class-scheme.js';
import type { GapContext } from './context.js';
import { hasValue } from './outcome.js';
import type { RecordSet, Where } from './types.js';

export function matchesWhere(record: DossierRecord, where: Where | undefined): boolean {
  if (!where) return true;
  for (const [field, allowed] of Object.entries(where)) {
    const value = record.fields[field];
    if (!allowed.some((a) => a === value)) return false;
  }
  return true;
}

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
  const all = set.kind === '*' ? [...graph.byId.values()] : graph.ofKind(set.kind);
  const leaf = (r: DossierRecord) => graph.childrenOf(r).every((child) => !isActive(child));
  return all.filter(
    (r) =>
      isActive(r) &&
      matchesWhere(r, set.where) &&
      (set.has ?? []).every((field) => hasValue(r.fields[field])) &&
      (!set.leaves || leaf(r)) &&
      (allClasses || clause === undefined || clauseAppliesAt(safety.scheme, clause, context.classOf(r.id))),
  );
}
