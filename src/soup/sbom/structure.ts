/**
 * The order and the dependency graph every writer shares: components by id, VEX statements by
 * vulnerability then component, and which components the product itself depends on.
 */
import type { SbomComponent, SbomDocument, VexStatement } from './types.js';

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedComponents(doc: SbomDocument): SbomComponent[] {
  return [...doc.components].sort((a, b) => compareText(a.id, b.id));
}

/** Statements ordered by vulnerability, component and evaluation id. */
export function sortedVex(doc: SbomDocument): VexStatement[] {
  return [...doc.vex].sort(
    (a, b) =>
      compareText(a.vulnerability, b.vulnerability) ||
      compareText(a.componentId, b.componentId) ||
      compareText(a.id, b.id),
  );
}

/** A component's dependencies that are components of this SBOM, deduplicated and sorted. */
const KNOWN_IDS = new WeakMap<SbomDocument, ReadonlySet<string>>();

/** The component ids of a document, computed once per document (callers ask per component). */
function knownIds(doc: SbomDocument): ReadonlySet<string> {
  let known = KNOWN_IDS.get(doc);
  if (!known) {
    known = new Set(doc.components.map((c) => c.id));
    KNOWN_IDS.set(doc, known);
  }
  return known;
}

/** Reverse dependencies: for each component id, the ids of the components that depend on it. */
export function requiredByIndex(doc: SbomDocument): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const other of doc.components) {
    for (const id of componentDependsOn(doc, other)) index.set(id, [...(index.get(id) ?? []), other.id]);
  }
  for (const list of index.values()) list.sort(compareText);
  return index;
}

export function componentDependsOn(doc: SbomDocument, component: SbomComponent): string[] {
  const known = knownIds(doc);
  return [...new Set(component.dependsOn)]
    .filter((id) => known.has(id) && id !== component.id)
    .sort(compareText);
}

/**
 * Components the product depends on directly:
 * - every component marked `direct`;
 * - every `unknown` one that no other component depends on: an unknown relation is taken as direct
 *   rather than dropped, so the component stays attached to the product in the graph. In particular,
 *   when no component is marked direct and none lists dependencies, the product depends on all;
 * - if that still gives nothing while there are components (all marked `transitive`, a data error),
 *   the roots of the graph, i.e. the components nothing else depends on.
 * `transitive` components reached from no other component are left unattached rather than claimed
 * to be direct.
 */
export function productDependsOn(doc: SbomDocument): string[] {
  const reached = new Set(doc.components.flatMap((c) => componentDependsOn(doc, c)));
  let ids = doc.components
    .filter((c) => c.dependency === 'direct' || (c.dependency === 'unknown' && !reached.has(c.id)))
    .map((c) => c.id);
  if (ids.length === 0) ids = doc.components.filter((c) => !reached.has(c.id)).map((c) => c.id);
  return [...new Set(ids)].sort(compareText);
}

/** Statements whose component is in the SBOM (the others cannot be attached to anything). */
export function attachedVex(doc: SbomDocument): VexStatement[] {
  const known = new Set(doc.components.map((c) => c.id));
  return sortedVex(doc).filter((s) => known.has(s.componentId));
}
