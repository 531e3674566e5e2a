import type { TraceGraph } from '../graph/graph.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { type ClassScheme, higherClass } from '../safety/class-scheme.js';
import type { Classification } from '../safety/classify.js';

export interface SoupClass {
  readonly soup: DossierRecord;
  /** Highest class of the items that use it; the scheme's unclassified class when none does. */
  readonly cls: string;
  readonly usedBy: readonly string[];
}

/**
 * SOUP has no class of its own: it takes the class of the software items that use it (IEC 62304
 * 4.3, as read in the domain notes §2.2); a group takes its highest class (4.3 f). SOUP that no item
 * uses cannot be classified and is treated as class C (4.3 g). SOUP marked `removed` by an import is
 * no longer in the build and is left out.
 */
export function soupClasses(
  graph: TraceGraph,
  scheme: ClassScheme,
  classifications: readonly Classification[],
): SoupClass[] {
  const classOf = new Map(classifications.map((c) => [c.id, c.computedClass]));
  return graph
    .ofKind('soup')
    .filter((soup) => isActive(soup) && soup.fields.removed === undefined)
    .map((soup) => {
      const users = graph.sources(soup, 'uses', 'software-item').filter(isActive);
      const cls = users.reduce<string | undefined>((c, user) => {
        const userClass = classOf.get(user.id) ?? scheme.unclassified;
        return c === undefined ? userClass : higherClass(scheme, c, userClass);
      }, undefined);
      return { soup, cls: cls ?? scheme.unclassified, usedBy: users.map((u) => u.id).sort() };
    });
}
