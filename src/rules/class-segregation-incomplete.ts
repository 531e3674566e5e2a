import { fieldAnchor } from '../model/record.js';
import { classRank, clauseAppliesAt } from '../safety/class-scheme.js';
import type { Rule } from './rule.js';

export const classSegregationIncomplete: Rule = {
  code: 'class/segregation-incomplete',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.3 d', '5.3.5'],
  reads: { kinds: ['software-item'] },
  summary:
    'A segregated item of a lower class than its class C parent does not name its segregation mechanism.',
  hint: 'add `segregation.mechanism`: how the separation is achieved and made effective (MPU partition, separate processor…)',
  *check({ graph, safety }) {
    const byId = new Map(safety.items.map((c) => [c.id, c]));
    if (safety.system) byId.set(safety.system.id, safety.system);
    for (const c of safety.items) {
      if (!c.segregated || !c.parent) continue;
      const record = graph.get(c.id)!;
      const segregation = record.fields.segregation as { mechanism?: string } | undefined;
      if (segregation?.mechanism) continue;
      const parent = byId.get(c.parent);
      if (!parent) continue;
      if (classRank(safety.scheme, c.computedClass) >= classRank(safety.scheme, parent.computedClass))
        continue;
      // 5.3.5 (segregation made effective) is an obligation where the table applies it to the
      // parent's class (C); elsewhere the missing mechanism is a warning under 4.3 d.
      const mechanismRequired = clauseAppliesAt(safety.scheme, '5.3.5', parent.computedClass);
      yield {
        code: 'class/segregation-incomplete',
        ...(mechanismRequired
          ? { clauses: ['5.3.5'], subjectId: parent.id }
          : { clauses: ['4.3 d'], severity: 'warning' as const }),
        message: `${c.id} is classified ${c.computedClass} below its class ${parent.computedClass} parent ${parent.id}, but its segregation mechanism is not described`,
        recordId: c.id,
        at: { ...fieldAnchor(record, 'segregation'), atKey: true },
      };
    }
  },
};
