/**
 * Clearances recorded on release records (`cleared: { kNumber, date }`) and the change requests
 * made after one: the input of the 510(k) questionnaire and of the rule that asks for a decision.
 */
import type { TraceGraph } from '../graph/graph.js';
import { type DossierRecord, isActive } from '../model/record.js';

export interface Cleared {
  readonly kNumber?: string;
  readonly date?: string;
}

export const clearedOf = (release: DossierRecord) => release.fields.cleared as Cleared | undefined;

/**
 * Change requests after a clearance: not included in the cleared release nor in a release dated
 * on or before it (rejected and obsolete ones left out).
 */
export function changeRequestsAfter(graph: TraceGraph, cleared: DossierRecord): DossierRecord[] {
  const clearedDate = String(cleared.fields.date ?? clearedOf(cleared)?.date ?? '');
  const before = new Set<string>();
  for (const release of graph.ofKind('release')) {
    const date = release.fields.date;
    if (release === cleared || (typeof date === 'string' && clearedDate !== '' && date <= clearedDate))
      for (const id of release.links.includes ?? []) before.add(id);
  }
  return graph
    .ofKind('change-request')
    .filter((cr) => isActive(cr) && cr.fields.state !== 'rejected' && !before.has(cr.id));
}
