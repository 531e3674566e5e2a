import { fieldAnchor } from '../model/record.js';
import { classRank } from '../safety/class-scheme.js';
import type { Classification } from '../safety/classify.js';
import type { Rule } from './rule.js';

export const classSegregationMissing: Rule = {
  code: 'class/segregation-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.3 d', '4.3 e'],
  reads: { kinds: ['software-item'] },
  summary:
    'A software item declares a lower class than its parent declares, without a segregation rationale.',
  hint: 'add `segregation.rationale` (and under class C `segregation.mechanism`): how it is segregated so that it can have its own class; or declare the parent’s class',
  *check({ graph, safety }) {
    const byId = new Map<string, Classification>(safety.items.map((c) => [c.id, c]));
    if (safety.system) byId.set(safety.system.id, safety.system);
    /** The nearest declared class above an item: a part inherits its parent's declaration (4.3 d). */
    const declaredAbove = (c: Classification): Classification | undefined => {
      const seen = new Set<string>();
      for (let p = c.parent ? byId.get(c.parent) : undefined; p && !seen.has(p.id); ) {
        if (p.declaredClass !== undefined) return p;
        seen.add(p.id);
        p = p.parent ? byId.get(p.parent) : undefined;
      }
      return undefined;
    };
    for (const c of safety.items) {
      const record = graph.get(c.id)!;
      const own = record.fields.safetyClass;
      if (typeof own !== 'string' || c.segregated || c.parent === undefined) continue;
      // Below the computed class, class/declared-too-low already reports the missing segregation.
      if (classRank(safety.scheme, own) < classRank(safety.scheme, c.computedClass)) continue;
      const above = declaredAbove(c);
      if (!above || classRank(safety.scheme, own) >= classRank(safety.scheme, above.declaredClass!)) continue;
      const whose =
        above.id === c.parent
          ? `its parent ${above.id}`
          : `its ancestor ${above.id} (${c.parent} declares none)`;
      yield {
        code: 'class/segregation-missing',
        message: `${c.id} is declared class ${own}, lower than class ${above.declaredClass} declared by ${whose}, but has no segregation rationale (4.3 d)`,
        recordId: c.id,
        at: fieldAnchor(record, 'safetyClass'),
      };
    }
  },
};
