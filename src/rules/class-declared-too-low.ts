import { fieldAnchor } from '../model/record.js';
import { classRank } from '../safety/class-scheme.js';
import type { Rule } from './rule.js';

export const classDeclaredTooLow: Rule = {
  code: 'class/declared-too-low',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.3 a', '4.3 d', '7.2.2 b'],
  summary: 'A declared software safety class is lower than the class the hazard analysis calls for.',
  hint: 'declare the computed class, add external risk controls, or document a segregation rationale (4.3 d)',
  *check({ graph, safety }) {
    for (const c of [...(safety.system ? [safety.system] : []), ...safety.items]) {
      if (c.declaredClass === undefined || c.basis === 'default') continue;
      if (classRank(safety.scheme, c.declaredClass) >= classRank(safety.scheme, c.computedClass)) continue;
      const record = graph.get(c.id)!;
      const forcing =
        c.forcing.length > 6
          ? `${c.forcing.slice(0, 6).join(', ')} and ${c.forcing.length - 6} more`
          : c.forcing.join(', ');
      const why =
        c.basis === 'inherited'
          ? `it inherits class ${c.computedClass} from ${c.parent} without a segregation rationale`
          : c.basis === 'risk-control'
            ? `it implements risk controls for class ${c.computedClass} risks`
            : 'the risk with only external controls is unacceptable';
      yield {
        code: 'class/declared-too-low',
        message: `${c.id} is declared class ${c.declaredClass} but must be class ${c.computedClass} (IEC 62304 4.3): ${why}${forcing ? `; forced by ${forcing}` : ''}`,
        recordId: c.id,
        at: fieldAnchor(record, record.fields.safetyClass !== undefined ? 'safetyClass' : 'id'),
      };
    }
  },
};
