import { fieldAnchor } from '../model/record.js';
import { classRank } from '../safety/class-scheme.js';
import type { Rule } from './rule.js';

export const classHigherThanNeeded: Rule = {
  code: 'class/higher-than-needed',
  severity: 'info',
  applicability: 'fixed',
  clauses: ['4.3'],
  reads: { kinds: ['software-item'] },
  summary: 'A declared class is higher than the hazard analysis requires (allowed, but costs rigour).',
  hint: 'keep it if that is intended; otherwise declare the computed class',
  *check({ graph, safety }) {
    for (const c of [...(safety.system ? [safety.system] : []), ...safety.items]) {
      if (c.declaredClass === undefined) continue;
      if (classRank(safety.scheme, c.declaredClass) <= classRank(safety.scheme, c.computedClass)) continue;
      const record = graph.get(c.id)!;
      yield {
        code: 'class/higher-than-needed',
        message: `${c.id} is declared class ${c.declaredClass}; the hazard analysis calls for class ${c.computedClass}`,
        recordId: c.id,
        at: fieldAnchor(record, record.fields.safetyClass !== undefined ? 'safetyClass' : 'id'),
      };
    }
  },
};
