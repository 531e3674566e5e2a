import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

export const classItemOutsideTree: Rule = {
  code: 'class/item-outside-tree',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.3 a', '4.3 g', '5.3.1'],
  reads: { kinds: [] },
  summary: 'A software item is neither the software system nor part of it.',
  hint: 'link it into the architecture with `partOf: <parent item>`; until then it is class C and its contributions count toward the system class',
  *check({ project, graph, safety }) {
    // Without a software system record every item would be outside; class/system-record reports that.
    if (!safety.system) return;
    const system = project.config.software.system;
    const outside = new Set(safety.items.filter((c) => c.outsideTree).map((c) => c.id));
    const others = outside.size - 1;
    for (const c of safety.items) {
      if (!c.outsideTree) continue;
      // Report the top of each detached subtree once; a partOf cycle is reported by link/cycle.
      if (c.parent !== undefined && outside.has(c.parent)) continue;
      const record = graph.get(c.id)!;
      const written = record.links.partOf?.[0];
      const parent = graph.parentOf(record);
      const why =
        written === undefined
          ? 'it has no partOf'
          : parent === undefined
            ? `its partOf names ${written}, which is not a software item`
            : `its parent ${parent.id} is obsolete`;
      yield {
        code: 'class/item-outside-tree',
        message: `${c.id} is not part of the software system ${system}: ${why}. It is class ${safety.scheme.unclassified} until placed (4.3 g), and its contributions count toward ${system} (4.3 a)${others > 0 ? `; ${others} other item(s) are outside the tree too` : ''}`,
        recordId: c.id,
        at: fieldAnchor(record, written === undefined ? 'id' : 'partOf'),
      };
    }
  },
};
