import type { TraceGraph } from '../graph/graph.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { type ClassScheme, higherClass } from '../safety/class-scheme.js';
import type { Classification } from '../safety/classify.js';
import { inUse } from './scope.js';

export interface SoupClass {
  readonly soup: DossierRecord;
  /** Highest class of the items that use it; the scheme's unclassified class when none does. */
  readonly cls: string;
  /** Items that use it, directly or through the SOUP that depends on it. */
  readonly usedBy: readonly string[];
  /** Items whose own `uses` names it. */
  readonly directlyUsedBy: readonly string[];
}

/**
 * SOUP has no class of its own: it takes the class of the software items that use it (IEC 62304
 * 4.3, as read in the domain notes §2.2); a group takes its highest class (4.3 f). An item that uses
 * a SOUP item also uses what that SOUP item `dependsOn`, transitively: a library's own dependencies
 * run inside the item as much as the library does. SOUP that no item uses, directly or through its
 * dependents, cannot be classified and is treated as class C (4.3 g). SOUP marked `removed` by an
 * import is no longer in the build: it is left out and passes no use on.
 */
export function soupClasses(
  graph: TraceGraph,
  scheme: ClassScheme,
  classifications: readonly Classification[],
): SoupClass[] {
  const classOf = new Map(classifications.map((c) => [c.id, c.computedClass]));
  const users = transitiveUsers(graph);
  return graph
    .ofKind('soup')
    .filter(inUse)
    .map((soup) => {
      const usedBy = [...(users.get(soup.id) ?? [])].sort();
      const cls = usedBy.reduce<string | undefined>((c, id) => {
        const userClass = classOf.get(id) ?? scheme.unclassified;
        return c === undefined ? userClass : higherClass(scheme, c, userClass);
      }, undefined);
      const directlyUsedBy = graph
        .sources(soup, 'uses', 'software-item')
        .filter(isActive)
        .map((u) => u.id)
        .sort();
      return { soup, cls: cls ?? scheme.unclassified, usedBy, directlyUsedBy };
    });
}

/** SOUP id → the active items that reach it through `uses` and then `dependsOn`, in the build only. */
function transitiveUsers(graph: TraceGraph): Map<string, Set<string>> {
  const users = new Map<string, Set<string>>();
  for (const item of graph.ofKind('software-item').filter(isActive)) {
    const stack = graph.targets(item, 'uses').filter((s) => s.kind === 'soup' && inUse(s));
    const seen = new Set<string>();
    for (let soup = stack.pop(); soup !== undefined; soup = stack.pop()) {
      if (seen.has(soup.id)) continue;
      seen.add(soup.id);
      const set = users.get(soup.id) ?? new Set<string>();
      set.add(item.id);
      users.set(soup.id, set);
      for (const next of graph.targets(soup, 'dependsOn'))
        if (next.kind === 'soup' && inUse(next)) stack.push(next);
    }
  }
  return users;
}
